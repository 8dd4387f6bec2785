package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.manifest.DeployedImage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What an environment's manifests named for an application at any commit, read with the same configuration and
 * layout editor as a promotion ({@link Snapshot#deployed}) and cached by the ids of the objects the answer depends
 * on: {@code odoo-gitops.yaml}'s blob and the environment's tree (or file). Those ids are content hashes, so an answer
 * stays true for every commit that shares them; consecutive promotions share the parent's tree with the child's
 * predecessor, which makes checking a history mostly cache hits.
 */
final class ManifestReadings {

  private static final int MAX_ENTRIES = 4096;

  /**
   * @param image what the manifests name, or null when they cannot be read
   * @param problem why they cannot be read; null when {@code image} is set
   */
  record Reading(DeployedImage image, String problem) {
    ImageDigest digest() {
      return image == null ? null : image.digest();
    }
  }

  private record Key(ObjectId config, ObjectId manifests, int mode, String environment, String application) {}

  private final Map<Key, Reading> readings = lru();
  private final Map<ObjectId, Object> configs = lru();
  private volatile PromotionCommitCheck commitCheck = PromotionCommitCheck.ANY;

  void require(PromotionCommitCheck check) {
    this.commitCheck = check == null ? PromotionCommitCheck.ANY : check;
  }

  PromotionCommitCheck commitCheck() {
    return commitCheck;
  }

  /** The image {@code environment} ran for {@code application} at {@code commit}. */
  Reading at(GitOpsRepository owner, ObjectId commit, String environment, String application) {
    Repository repo = owner.repository();
    try {
      RevCommit parsed = repo.parseCommit(commit);
      RevTree tree = parsed.getTree();
      Entry configEntry = entry(repo, ReleaseConfig.FILE_NAME, tree);
      if (configEntry == null) {
        return new Reading(null, ReleaseConfig.FILE_NAME + " is missing at commit " + abbreviate(commit));
      }
      Object loaded = config(owner, commit, configEntry.id());
      if (loaded instanceof String problem) {
        return new Reading(null, problem);
      }
      ReleaseConfig config = (ReleaseConfig) loaded;
      if (!config.environments().containsKey(environment)) {
        return new Reading(null, "environment '" + environment + "' is not in " + ReleaseConfig.FILE_NAME
            + " at commit " + abbreviate(commit));
      }
      EnvironmentSpec env = config.environment(environment);
      Entry manifests = env.manifestFile() != null ? entry(repo, env.manifestFile(), tree)
          : env.directory().isEmpty() ? new Entry(tree, FileMode.TREE.getBits()) : entry(repo, env.directory(), tree);
      Key key = new Key(configEntry.id(), manifests == null ? ObjectId.zeroId() : manifests.id(),
          manifests == null ? 0 : manifests.mode(), environment, application);
      Reading cached;
      synchronized (readings) {
        cached = readings.get(key);
      }
      if (cached != null) {
        return cached;
      }
      Reading reading;
      try {
        reading = new Reading(new Snapshot(owner, commit.copy(), config).deployed(environment, application), null);
      } catch (ReleaseException e) {
        if (e.kind() == ReleaseException.Kind.INFRASTRUCTURE) {
          throw e;
        }
        reading = new Reading(null, e.getMessage());
      }
      synchronized (readings) {
        readings.put(key, reading);
      }
      return reading;
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read commit " + abbreviate(commit) + " from the GitOps cache: "
          + e.getMessage(), e);
    }
  }

  /** The parsed configuration for a blob, or why it cannot be parsed. */
  private Object config(GitOpsRepository owner, ObjectId commit, ObjectId blob) {
    synchronized (configs) {
      Object cached = configs.get(blob);
      if (cached != null) {
        return cached;
      }
    }
    Object loaded;
    try {
      loaded = new Snapshot(owner, commit.copy()).config();
    } catch (ReleaseException e) {
      if (e.kind() == ReleaseException.Kind.INFRASTRUCTURE) {
        throw e;
      }
      loaded = e.getMessage();
    }
    synchronized (configs) {
      configs.put(blob, loaded);
    }
    return loaded;
  }

  private record Entry(ObjectId id, int mode) {}

  private static Entry entry(Repository repo, String path, RevTree tree) throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, tree)) {
      return walk == null ? null : new Entry(walk.getObjectId(0), walk.getRawMode(0));
    }
  }

  static String abbreviate(ObjectId commit) {
    return commit.name().substring(0, 12);
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }
}
