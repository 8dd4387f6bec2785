package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import io.odoogitops.signing.SshKeygen;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real keys of real people for vote tests, made by ssh-keygen; votes are signed by {@code ssh-keygen -Y sign}, the
 * oracle, never by the code under test.
 */
public final class VoteKeys {

  private final Map<String, Path> keys = new LinkedHashMap<>();

  private VoteKeys() {}

  /** One ed25519/ecdsa/rsa key per name, cycling through the types so every type is exercised. */
  public static VoteKeys generate(Path dir, String... names) throws IOException, InterruptedException {
    SshKeygen.require();
    VoteKeys all = new VoteKeys();
    String[][] types = {{"ed25519", null}, {"ecdsa", "256"}, {"rsa", "3072"}};
    for (int i = 0; i < names.length; i++) {
      String[] type = types[i % types.length];
      all.keys.put(names[i], SshKeygen.generate(dir, names[i], type[0], type[1], null));
    }
    return all;
  }

  public Path key(String name) {
    return keys.get(name);
  }

  public String publicKey(String name) throws IOException {
    return SshKeygen.publicKey(keys.get(name));
  }

  /** An {@code allowed_signers} file giving each named person their own key. */
  public String allowedSigners(String... names) throws IOException {
    StringBuilder text = new StringBuilder("# release managers\n");
    for (String name : names) {
      text.append(name).append(" namespaces=\"odoo-gitops\" ").append(publicKey(name)).append('\n');
    }
    return text.toString();
  }

  /** YAML lines of an inline {@code allowedSigners:} block for the named people. */
  public String inlineSigners(String... names) throws IOException {
    StringBuilder yaml = new StringBuilder("allowedSigners:\n");
    for (String name : names) {
      yaml.append("  ").append(name).append(": \"").append(publicKey(name)).append("\"\n");
    }
    return yaml.toString();
  }

  /** The vote file of {@code statement}, signed by {@code signer}'s key with ssh-keygen in {@code namespace}. */
  public byte[] voteFile(String signer, VoteStatement statement, String namespace)
      throws IOException, InterruptedException {
    byte[] payload = statement.canonical();
    String signature = SshKeygen.sign(keys.get(signer), namespace, payload);
    return (new String(payload, StandardCharsets.UTF_8) + signature).getBytes(StandardCharsets.UTF_8);
  }

  public byte[] voteFile(String signer, VoteStatement statement) throws IOException, InterruptedException {
    return voteFile(signer, statement, VoteStatement.NAMESPACE);
  }

  public static VoteStatement approve(String voter, String env, ImageDigest digest, Instant at) {
    return new VoteStatement(env, "odoo", digest, Vote.APPROVE, ApprovalScope.PROMOTION, null, voter, at);
  }
}
