package io.odoogitops.jenkins.step;

import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import hudson.scm.ChangeLogSet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.Jenkins;
import jenkins.scm.RunWithSCM;

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

  /**
   * The Jenkins user ids of the authors of the build's SCM changes, as the SCM reported them: they wrote what is
   * released, so four-eyes bars them from approving it. A Jenkinsfile's {@code sourceAuthor} can only add to these.
   */
  public static List<String> changeAuthors(Run<?, ?> run) {
    Set<String> ids = new TreeSet<>();
    if (run instanceof RunWithSCM<?, ?> scm) {
      for (ChangeLogSet<? extends ChangeLogSet.Entry> set : scm.getChangeSets()) {
        for (ChangeLogSet.Entry entry : set) {
          User author = entry.getAuthor();
          if (author != null && author.getId() != null) {
            ids.add(author.getId());
          }
        }
      }
    }
    // ArrayList: stored in build.xml, whose XStream filter knows it
    return new ArrayList<>(ids);
  }
}
