package io.odoogitops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Prerequisites.Tool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * A real Docker Distribution registry (Debian's {@code docker-registry}) on a free loopback port with its own
 * storage, started for a test and stopped after it. Its access log tells exactly which blobs were uploaded.
 * Classes that start one in {@code @BeforeAll} declare {@code @Requires({DOCKER_REGISTRY, SKOPEO})}; a missing tool
 * then skips them outside CI with one line naming its Debian package, and fails them with {@code CI=true}.
 */
public final class LocalRegistry implements AutoCloseable {

  private static final Pattern BLOB_UPLOAD = Pattern.compile(
      "\"PUT /v2/\\S+/blobs/uploads/\\S*[?&]digest=([^&\\s\"]+)\\S* HTTP/1\\.1\" 201");

  private final Process process;
  private final Path log;
  private final int port;

  private LocalRegistry(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static LocalRegistry start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, "");
  }

  /** A registry that requires HTTP Basic authentication of {@code user} with {@code password}. */
  public static LocalRegistry startWithBasicAuth(Path workDir, String user, String password)
      throws IOException, InterruptedException {
    Path htpasswd = Files.writeString(workDir.resolve("htpasswd"),
        user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4)) + "\n");
    return start(workDir, """
        auth:
          htpasswd:
            realm: odoo-gitops-test
            path: %s
        """.formatted(htpasswd));
  }

  private static LocalRegistry start(Path workDir, String extraConfig) throws IOException, InterruptedException {
    Path binary = Prerequisites.require(Tool.DOCKER_REGISTRY);
    Prerequisites.require(Tool.SKOPEO);
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path storage = Files.createDirectories(workDir.resolve("registry-storage"));
    Path config = workDir.resolve("registry.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
          secret: test-only-upload-secret
        """.formatted(storage, port) + extraConfig);
    Path log = workDir.resolve("registry.log");
    Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    LocalRegistry registry = new LocalRegistry(process, log, port);
    registry.awaitReady();
    return registry;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /**
   * Pushes a tiny stand-in for the official odoo image (a user, an entrypoint, an environment to inherit) as
   * {@code address()/repositoryAndTag}; returns its digest.
   */
  public String pushTinyOdooBase(String repositoryAndTag, Path workDir) throws Exception {
    Path entrypoint = Files.writeString(workDir.resolve("entrypoint.sh"), "#!/bin/sh\nexec odoo \"$@\"\n");
    JibContainer pushed = Jib.fromScratch()
        .addFileEntriesLayer(FileEntriesLayer.builder()
            .addEntry(entrypoint, AbsoluteUnixPath.get("/entrypoint.sh")).build())
        .setEntrypoint("/entrypoint.sh")
        .setProgramArguments("odoo")
        .setUser("odoo")
        .setEnvironment(Map.of("ODOO_RC", "/etc/odoo/odoo.conf"))
        .containerize(Containerizer.to(RegistryImage.named(address() + "/" + repositoryAndTag))
            .setAllowInsecureRegistries(true));
    return pushed.getDigest().toString();
  }

  /** Digests of the blobs uploaded so far, in order (from the access log). */
  public List<String> uploadedBlobs() throws IOException {
    List<String> digests = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = BLOB_UPLOAD.matcher(line);
      if (m.find()) {
        digests.add(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
      }
    }
    return digests;
  }

  public byte[] get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + path))
        .header("Accept", RegistryApi.MANIFEST_TYPES).build();
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " -> " + response.statusCode());
    }
    return response.body();
  }

  /** Runs {@code skopeo inspect} with the given flags on {@code repository:reference}; returns stdout. */
  public String skopeoInspect(String imageReference, String... flags) throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(List.of("--tls-verify=false"));
    arguments.addAll(List.of(flags));
    arguments.add("docker://" + imageReference);
    return skopeoInspectTransport(arguments);
  }

  /** {@code skopeo inspect} with explicit arguments, e.g. {@code oci-archive:/path/image.tar}. */
  public static String skopeoInspectTransport(List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Prerequisites.require(Tool.SKOPEO).toString(), "inspect"));
    command.addAll(arguments);
    Process skopeo = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!skopeo.waitFor(60, TimeUnit.SECONDS) || skopeo.exitValue() != 0) {
      throw new IOException("skopeo failed: " + output);
    }
    return output;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(log));
      }
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
            URI.create("http://" + address() + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200 || response.statusCode() == 401) { // 401: up, and wants credentials
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IOException("docker-registry did not answer within 20 s: " + Files.readString(log));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
