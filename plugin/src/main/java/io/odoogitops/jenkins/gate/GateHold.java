package io.odoogitops.jenkins.gate;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.HoldEvidence;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One hold in force when the gate opened (a digest a rollback took away), as read by the core from the GitOps history
 * at the head the gate read: plain strings, so it travels from the agent and build.xml stays readable whatever the
 * core's classes become.
 */
public final class GateHold implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  private final String digest;
  private final String rollbackCommit;
  /** ISO instant of the rollback commit. */
  private final String since;

  GateHold(String digest, String rollbackCommit, String since) {
    this.digest = digest;
    this.rollbackCommit = rollbackCommit;
    this.since = since;
  }

  /** The holds of {@code evidence}, newest first; ArrayList because build.xml is read back by XStream. */
  static ArrayList<GateHold> of(HoldEvidence evidence) {
    ArrayList<GateHold> holds = new ArrayList<>();
    evidence.holds().forEach(h -> holds.add(new GateHold(h.digest().value(), h.rollbackCommit(),
        h.since() == null ? null : h.since().toString())));
    return holds;
  }

  /** The core's evidence for the {@code hold} rule, checked again by its constructors. */
  static HoldEvidence evidence(String environment, String application, List<GateHold> holds) {
    return new HoldEvidence(environment, application, holds.stream().map(h -> new HoldEvidence.Held(ImageDigest.parse(h.digest, "the held digest"),
        h.rollbackCommit, h.since == null ? null : Instant.parse(h.since))).toList());
  }

  public String getDigest() {
    return digest;
  }

  public String getRollbackCommit() {
    return rollbackCommit;
  }

  public String getSince() {
    return since;
  }
}
