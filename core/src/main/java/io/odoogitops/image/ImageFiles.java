package io.odoogitops.image;

import io.odoogitops.ReleaseException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A few files of an image's root file system, as a container would see them: the layers applied lowest first, with
 * their whiteouts ({@code .wh.NAME} deletes, {@code .wh..wh..opq} hides what lower layers put in a directory), and
 * symbolic links followed inside the image only (an absolute target is the image's root, never the host's). Nothing
 * is written to disk. Only files the caller selects are kept: their presence, or their content up to
 * {@link #MAX_FILE_BYTES}; a layer's tar is streamed and checked against its digest.
 *
 * <p>Layers are hostile input: an entry climbing out of the root ({@code ..}) makes the archive refused, as Docker
 * refuses it; names, entry counts, kept bytes and each layer's size are bounded.
 */
public final class ImageFiles {

  /** A selected file larger than this is refused: neutralization scripts and configuration files are small. */
  public static final int MAX_FILE_BYTES = 1 << 20;
  static final long MAX_KEPT_BYTES = 64L << 20;
  static final int MAX_KEPT_ENTRIES = 1_000_000;
  static final long MAX_LAYER_BYTES = 32L << 30;
  static final int MAX_NAME_CHARS = 4096;
  private static final int MAX_LINK_HOPS = 40;

  /** A kept path: a regular file (content null when only its presence was selected) or a symbolic link. */
  private record Node(int layer, byte[] content, String linkTarget) {
    boolean link() {
      return linkTarget != null;
    }
  }

  /** Opens a layer's bytes as stored (compressed or not). */
  interface LayerOpener {
    InputStream open(ImageArchive.Layer layer) throws IOException;
  }

  private final String where;
  private final List<ImageArchive.Layer> layers;
  private final NavigableMap<String, Node> nodes = new TreeMap<>();
  private long keptBytes;

  private ImageFiles(String where, List<ImageArchive.Layer> layers) {
    this.where = where;
    this.layers = List.copyOf(layers);
  }

  static ImageFiles read(ImageArchive archive, Predicate<String> presence, Predicate<String> content) {
    try (TarFile tar = new TarFile(archive.file().toFile())) {
      return read("image archive " + archive.file(), archive.layers(),
          layer -> tar.getInputStream(ImageArchive.member(tar, layer.member())), presence, content);
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read the layers of image archive " + archive.file() + " ("
          + e.getMessage() + ")");
    }
  }

  /**
   * @param where the image, for messages, e.g. {@code image archive /tmp/release.tar}
   * @throws IOException when a layer cannot be read
   */
  static ImageFiles read(String where, List<ImageArchive.Layer> layers, LayerOpener opener,
      Predicate<String> presence, Predicate<String> content) throws IOException {
    ImageFiles files = new ImageFiles(where, layers);
    for (int i = 0; i < layers.size(); i++) {
      files.apply(opener, i, presence, content);
    }
    return files;
  }

  /** Whether {@code path} (absolute, symbolic links followed) is a kept regular file. */
  public boolean isFile(String path) {
    return resolve(path).map(nodes::get).filter(n -> !n.link()).isPresent();
  }

  /**
   * The UTF-8 text of a file whose content was selected, symbolic links followed.
   *
   * @throws ReleaseException bad input when the file is not valid UTF-8
   */
  public Optional<String> text(String path) {
    Optional<String> real = resolve(path);
    if (real.isEmpty()) {
      throw ReleaseException.badInput(path + " in " + where + " is a loop of symbolic links");
    }
    Optional<Node> node = real.map(nodes::get).filter(n -> !n.link() && n.content() != null);
    if (node.isEmpty()) {
      Node literal = nodes.get(path);
      if (literal != null && literal.link() && !nodes.containsKey(real.get())) {
        // never read as "no such file": the image has one, its content is just elsewhere
        throw ReleaseException.badInput(path + " in " + where + " is a symbolic link to "
            + real.get() + ", which odoo-gitops does not read from image layers; make it a regular file");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(node.get().content())).toString());
    } catch (CharacterCodingException e) {
      throw ReleaseException.badInput(path + " in " + where + " is not UTF-8 text");
    }
  }

  /** Every kept regular file's path (not following links), sorted. */
  public List<String> files() {
    return nodes.entrySet().stream().filter(e -> !e.getValue().link()).map(java.util.Map.Entry::getKey).toList();
  }

  /** {@code path} with every symbolic link resolved inside the image; empty for a loop. */
  public Optional<String> resolve(String path) {
    Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
    List<String> done = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String part = todo.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      String candidate = "/" + String.join("/", done) + (done.isEmpty() ? "" : "/") + part;
      Node node = nodes.get(candidate);
      if (node != null && node.link()) {
        if (++hops > MAX_LINK_HOPS) {
          return Optional.empty();
        }
        List<String> target = List.of(node.linkTarget().split("/"));
        for (int i = target.size() - 1; i >= 0; i--) {
          todo.addFirst(target.get(i));
        }
        if (node.linkTarget().startsWith("/")) {
          done.clear();
        }
        continue;
      }
      done.add(part);
    }
    return Optional.of("/" + String.join("/", done));
  }

  private void apply(LayerOpener opener, int index, Predicate<String> presence, Predicate<String> content)
      throws IOException {
    ImageArchive.Layer layer = layers.get(index);
    MessageDigest blobDigest = sha256();
    MessageDigest diffDigest = sha256();
    try (BufferedInputStream stored = new BufferedInputStream(opener.open(layer), 64 * 1024);
         InputStream raw = new DigestInputStream(stored, blobDigest);
         InputStream uncompressed = new DigestInputStream(new Bounded(decompressed(stored, raw), layer.member()),
             diffDigest);
         TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entry(tar, entry, index, presence, content);
      }
      // the tar's end-of-archive blocks and the compressor's trailer count towards the digests too
      tar.transferTo(OutputStream.nullOutputStream());
      uncompressed.transferTo(OutputStream.nullOutputStream());
      raw.transferTo(OutputStream.nullOutputStream());
    }
    if (layer.blobDigest() != null && !hex(blobDigest).equals(layer.blobDigest())) {
      throw corrupt(layer, "its bytes do not hash to the digest the manifest names");
    }
    if (!hex(diffDigest).equals(layer.diffId())) {
      throw corrupt(layer, "its content does not hash to the digest the image configuration names");
    }
  }

  private void entry(TarArchiveInputStream tar, TarArchiveEntry entry, int layer, Predicate<String> presence,
      Predicate<String> content) throws IOException {
    String path = normalize(entry.getName());
    if (path.equals("/")) {
      return;
    }
    int slash = path.lastIndexOf('/');
    String dir = path.substring(0, slash);
    String name = path.substring(slash + 1);
    if (name.equals(".wh..wh..opq")) {
      removeLower(dir + "/", layer);
      return;
    }
    if (name.startsWith(".wh.")) {
      String hidden = dir + "/" + name.substring(4);
      removeLower(hidden, layer);
      removeLower(hidden + "/", layer);
      return;
    }
    if (entry.isDirectory()) {
      Node existing = nodes.get(path);
      if (existing != null) {
        nodes.remove(path);
      }
      return;
    }
    // a file, link or special file replaces whatever was at its path, including a directory's content
    nodes.remove(path);
    removeLower(path + "/", layer);
    if (entry.isSymbolicLink()) {
      keep(path, new Node(layer, null, entry.getLinkName()));
    } else if (entry.isLink()) {
      Node target = nodes.get(normalize(entry.getLinkName()));
      if (target != null && (target.content() != null || target.link() || !content.test(path))) {
        keep(path, new Node(layer, target.content(), target.linkTarget()));
      } else if (content.test(path)) {
        throw ReleaseException.badInput(path + " in layer " + archiveLayer(layer) + " is a hard link to a file "
            + "odoo-gitops did not keep; it cannot be read without running the image");
      } else if (presence.test(path)) {
        keep(path, new Node(layer, null, null));
      }
    } else if (entry.isFile()) {
      if (content.test(path)) {
        if (entry.getSize() > MAX_FILE_BYTES) {
          throw ReleaseException.badInput(path + " in layer " + archiveLayer(layer) + " is " + entry.getSize()
              + " bytes; files read from image layers are limited to " + MAX_FILE_BYTES + " bytes");
        }
        byte[] bytes = tar.readNBytes(MAX_FILE_BYTES);
        keptBytes += bytes.length;
        if (keptBytes > MAX_KEPT_BYTES) {
          throw ReleaseException.badInput(where + " holds more than " + MAX_KEPT_BYTES
              + " bytes of the files selected; refusing to keep more");
        }
        keep(path, new Node(layer, bytes, null));
      } else if (presence.test(path)) {
        keep(path, new Node(layer, null, null));
      }
    }
  }

  private void keep(String path, Node node) {
    if (nodes.size() >= MAX_KEPT_ENTRIES) {
      throw ReleaseException.badInput(where + " has more than " + MAX_KEPT_ENTRIES
          + " entries of interest; refusing to read further");
    }
    nodes.put(path, node);
  }

  /** Removes {@code prefix} itself, or everything under it when it ends with '/', that lower layers put there. */
  private void removeLower(String prefix, int layer) {
    if (!prefix.endsWith("/")) {
      Node node = nodes.get(prefix);
      if (node != null && node.layer() < layer) {
        nodes.remove(prefix);
      }
      return;
    }
    // '0' is the character after '/': the range holds exactly the paths under prefix
    nodes.subMap(prefix, true, prefix.substring(0, prefix.length() - 1) + "0", false).values()
        .removeIf(node -> node.layer() < layer);
  }

  private String normalize(String entryName) {
    if (entryName.length() > MAX_NAME_CHARS) {
      throw ReleaseException.badInput(where + " has a layer entry name of "
          + entryName.length() + " characters; refusing it");
    }
    List<String> parts = new ArrayList<>();
    for (String part : entryName.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw ReleaseException.badInput(where + " has a layer entry '" + entryName
            + "' that climbs out of the image's root; refusing the archive");
      }
      parts.add(part);
    }
    return "/" + String.join("/", parts);
  }

  /** Peeks at the magic number on {@code stored}, before any byte reaches the digest reading {@code raw}. */
  private InputStream decompressed(BufferedInputStream stored, InputStream raw) throws IOException {
    stored.mark(4);
    int first = stored.read();
    int second = stored.read();
    int third = stored.read();
    int fourth = stored.read();
    stored.reset();
    if (first == 0x1f && second == 0x8b) {
      return new GZIPInputStream(raw, 64 * 1024);
    }
    if (first == 0x28 && second == 0xb5 && third == 0x2f && fourth == 0xfd) {
      throw ReleaseException.badInput(where + " has a zstd-compressed layer, which "
          + "odoo-gitops cannot read; convert it with skopeo copy --dest-compress-format gzip");
    }
    return raw;
  }

  private String archiveLayer(int layer) {
    return (layer + 1) + " of " + layers.size() + " (" + layers.get(layer).diffId() + ") of " + where;
  }

  private ReleaseException corrupt(ImageArchive.Layer layer, String why) {
    return ReleaseException.badInput("layer " + layer.member() + " of " + where + " is "
        + "corrupt or was altered: " + why);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String hex(MessageDigest digest) {
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  /** Stops a layer that decompresses to more than any image layer plausibly holds (a compression bomb). */
  private final class Bounded extends FilterInputStream {
    private final String member;
    private long count;

    Bounded(InputStream in, String member) {
      super(in);
      this.member = member;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(long n) {
      count += n;
      if (count > MAX_LAYER_BYTES) {
        throw ReleaseException.badInput("layer " + member + " of " + where
            + " decompresses to more than " + MAX_LAYER_BYTES + " bytes; refusing it");
      }
    }
  }
}
