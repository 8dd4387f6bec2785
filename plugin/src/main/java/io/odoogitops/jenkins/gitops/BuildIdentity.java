package io.odoogitops.jenkins.gitops;

import hudson.model.Cause;
import hudson.model.Run;
import java.io.Serializable;
import jenkins.model.Jenkins;

/** Who and what asked for a release, as the commit trailers record it. */
public record BuildIdentity(String initiator, String buildUrl) implements Serializable {

  /**
   * The user who started the build; for builds started by a timer or an SCM event, the job itself
   * ({@code jenkins:folder/job}), since no person asked for it.
   */
  public static BuildIdentity of(Run<?, ?> run) {
    Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
    String initiator = user != null && user.getUserId() != null ? user.getUserId()
        : "jenkins:" + run.getParent().getFullName();
    String root = Jenkins.get().getRootUrl();
    return new BuildIdentity(initiator, root == null ? run.getUrl() : root + run.getUrl());
  }

  /** The user id that started the build, or null when no person did (four-eyes has no one to bar then). */
  public static String starter(Run<?, ?> run) {
    Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
    return user == null ? null : user.getUserId();
  }
}
