package io.odoogitops.trust;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.signing.AllowedSigners;
import io.odoogitops.signing.SshKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The keys of release managers and policy admins, from a file kept outside the GitOps repository (given with
 * {@code --trust-root} or {@code ODOO_GITOPS_TRUST_ROOT}). The file is an ssh {@code allowed_signers} file in which
 * comment lines of the form {@code #@role ROLE} start the section of a role:
 *
 * <pre>
 * #@role policy-admin
 * alice@example.com namespaces="git" ssh-ed25519 AAAA... alice
 * #@role release-manager
 * release-bot namespaces="git" ssh-ed25519 AAAA... jenkins controller
 * #@openpgp release-manager release-bot release-bot.asc
 * </pre>
 *
 * Roles are sections of comment markers rather than principal names or namespaces because the file then stays a valid
 * {@code gpg.ssh.allowedSignersFile} for {@code git verify-commit} (ssh-keygen skips comments), because git signs
 * every commit in the one namespace {@code git} (a namespace cannot say what a commit is for), and because principals
 * stay the people's own names. An entry before any {@code #@role} line, an unknown role or an unknown {@code #@}
 * marker is refused: a key whose role is a guess must not count. {@code #@openpgp ROLE PRINCIPAL FILE} names an
 * armored OpenPGP public key ({@code gpg --export --armor}) in a file next to the trust root.
 */
public final class TrustRoot {

  /** The environment variable the CLI reads when {@code --trust-root} is not given. */
  public static final String ENVIRONMENT_VARIABLE = "ODOO_GITOPS_TRUST_ROOT";

  /**
   * An OpenPGP key of the root.
   *
   * @param where {@code file:line} of its marker
   */
  public record OpenPgpKey(Role role, String principal, PGPPublicKeyRing ring, String where) {}

  private final String source;
  private final Map<Role, AllowedSigners> ssh;
  private final List<OpenPgpKey> openPgp;

  private TrustRoot(String source, Map<Role, AllowedSigners> ssh, List<OpenPgpKey> openPgp) {
    this.source = source;
    this.ssh = ssh;
    this.openPgp = List.copyOf(openPgp);
  }

  /** Reads the trust root file; OpenPGP key files it names are read from its directory. */
  public static TrustRoot read(Path file) {
    return parse(InputFiles.readUtf8(file, "trust root", AllowedSigners.MAX_BYTES), file.toString(),
        keyFilesNextTo(file));
  }

  /**
   * Reads the OpenPGP key files that the trust root {@code file} names: from its own directory, never outside it
   * (a Jenkins controller reads them with this and sends their bytes along with the text).
   */
  public static Function<String, byte[]> keyFilesNextTo(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return name -> {
      Path key = dir.resolve(name).normalize();
      if (!key.startsWith(dir)) {
        throw ReleaseException.badInput("the trust root " + file + " names the OpenPGP key file '" + name
            + "' outside its own directory; keep the key files next to the trust root");
      }
      return InputFiles.read(key, "OpenPGP public key file", InputFiles.SECRET_LIMIT);
    };
  }

  /**
   * Parses a trust root.
   *
   * @param files reads an OpenPGP key file named by an {@code #@openpgp} marker
   */
  public static TrustRoot parse(String text, String source, Function<String, byte[]> files) {
    Map<Role, List<AllowedSigners.Entry>> entries = new EnumMap<>(Role.class);
    List<OpenPgpKey> openPgp = new ArrayList<>();
    Role current = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      String where = source + ":" + (i + 1);
      if (line.startsWith("#@")) {
        String[] words = line.substring(2).strip().split("\\s+");
        switch (words[0]) {
          case "role" -> {
            if (words.length != 2) {
              throw ReleaseException.badInput(where + ": write '#@role release-manager' or '#@role policy-admin'");
            }
            current = Role.parse(words[1], where);
          }
          case "openpgp" -> {
            if (words.length != 4) {
              throw ReleaseException.badInput(where + ": write '#@openpgp ROLE PRINCIPAL FILE' (an armored public"
                  + " key from 'gpg --export --armor', next to the trust root)");
            }
            Role role = Role.parse(words[1], where);
            openPgp.add(new OpenPgpKey(role, words[2], OpenPgp.publicKey(files.apply(words[3]), where + " ("
                + words[3] + ")"), where));
          }
          default -> throw ReleaseException.badInput(where + ": unknown marker '#@" + words[0] + "'; the trust root"
              + " knows '#@role ROLE' and '#@openpgp ROLE PRINCIPAL FILE' (plain comments start with '# ')");
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (current == null) {
        throw ReleaseException.badInput(where + ": this key has no role; put it below a '#@role release-manager' or"
            + " '#@role policy-admin' line");
      }
      try {
        entries.computeIfAbsent(current, r -> new ArrayList<>()).add(AllowedSigners.parseLine(line, where));
      } catch (IllegalArgumentException e) {
        throw ReleaseException.badInput("trust root " + e.getMessage());
      }
    }
    Map<Role, AllowedSigners> ssh = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      ssh.put(role, AllowedSigners.of(entries.getOrDefault(role, List.of())));
      boolean anyPgp = openPgp.stream().anyMatch(k -> k.role() == role);
      if (ssh.get(role).isEmpty() && !anyPgp) {
        throw ReleaseException.badInput(source + " has no " + role.marker() + " key: without one, "
            + (role == Role.POLICY_ADMIN ? "no policy change" : "no promotion") + " could ever be signed; add a"
            + " '#@role " + role.marker() + "' section (see docs/policy.md, Trust root)");
      }
    }
    return new TrustRoot(source, ssh, openPgp);
  }

  /** The SSH keys of a role, as allowed signers. */
  public AllowedSigners sshSigners(Role role) {
    return ssh.get(role);
  }

  /** The OpenPGP keys of a role. */
  public List<OpenPgpKey> openPgpKeys(Role role) {
    return openPgp.stream().filter(k -> k.role() == role).toList();
  }

  /** Where the root was read from, for messages. */
  public String source() {
    return source;
  }

  /** One line for people: where the root is and how many keys each role has. */
  public String describe() {
    StringBuilder text = new StringBuilder("trust root ").append(source).append(" (");
    for (Role role : Role.values()) {
      int count = ssh.get(role).entries().size() + openPgpKeys(role).size();
      text.append(role == Role.values()[0] ? "" : ", ").append(count).append(' ').append(role.marker())
          .append(count == 1 ? " key" : " keys");
    }
    return text.append(')').toString();
  }

  @Override
  public String toString() {
    return describe() + " " + ssh.values().stream().flatMap(s -> s.entries().stream())
        .map(e -> SshKeys.fingerprint(e.key())).toList();
  }
}
