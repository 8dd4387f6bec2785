package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.policy.RepositoryFiles;
import io.odoogitops.trust.CommitSigner;
import io.odoogitops.trust.Role;
import io.odoogitops.trust.SignedFileHistory;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.manifest.DeployedImage;
import io.odoogitops.gitops.manifest.ManifestEditor;
import io.odoogitops.gitops.manifest.ManifestSet;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The GitOps repository at one commit of the promotion branch: configuration, manifests and history as they are
 * there. Reads refuse symbolic links and submodules, so nothing outside the repository's own files can be edited or
 * trusted.
 */
public final class Snapshot {

  private static final int MAX_FILE_BYTES = 8 << 20;

  private final GitOpsRepository owner;
  private final ObjectId head;
  private ReleaseConfig config;
  /** Changes of policy files ignored under the trust root, as read so far; reported with the decision. */
  private final Map<String, SignedFileHistory.Resolution> policyFiles = new LinkedHashMap<>();

  Snapshot(GitOpsRepository owner, ObjectId head) {
    this.owner = owner;
    this.head = head;
  }

  /** A snapshot whose configuration was already read (and validated) from the same blob. */
  Snapshot(GitOpsRepository owner, ObjectId head, ReleaseConfig config) {
    this(owner, head);
    this.config = config;
  }

  public String commitId() {
    return head.name();
  }

  ObjectId head() {
    return head;
  }

  GitOpsRepository owner() {
    return owner;
  }

  /** {@code odoo-gitops.yaml} at this commit, validated. */
  public ReleaseConfig config() {
    if (config == null) {
      Optional<byte[]> bytes = owner.trust().isPresent() ? signed(ReleaseConfig.FILE_NAME)
          : read(ReleaseConfig.FILE_NAME);
      config = ConfigLoader.load(bytes.orElseThrow(() -> ReleaseException.badInput(
          ReleaseConfig.FILE_NAME + " is missing at the root of " + owner.remote().displayUrl() + " (branch "
              + owner.remote().branch() + ")" + (owner.trust().isPresent() ? " in its last version signed by a"
              + " policy admin" : "") + "; add it (see docs/configuration.md)")), ReleaseConfig.FILE_NAME);
    }
    return config;
  }

  /**
   * The files the policy names (allowed signers, calendars) as the policy reads them: with a trust root, each in its
   * newest version a policy admin signed, like {@code odoo-gitops.yaml} itself; otherwise as they are here.
   */
  public RepositoryFiles policyFiles() {
    return path -> owner.trust().isPresent() ? signed(path) : read(path);
  }

  private Optional<byte[]> signed(String path) {
    SignedFileHistory.Resolution resolution = owner.signedFile(head, path);
    policyFiles.put(path, resolution);
    return Optional.ofNullable(resolution.bytes());
  }

  /** The policy files read so far under the trust root, each with its ignored unsigned changes. */
  public List<SignedFileHistory.Resolution> signedPolicyFiles() {
    return List.copyOf(policyFiles.values());
  }

  /**
   * What a decision on this snapshot must say about trust: without a trust root, that the gate is advisory; with one,
   * every change of a policy file that does not take effect because no policy admin signed it.
   */
  public List<String> trustNotices() {
    if (owner.trust().isEmpty()) {
      return List.of(ADVISORY);
    }
    config();
    return policyFiles.values().stream().flatMap(r -> r.notices().stream()).toList();
  }

  /** Unsigned changes of an environment's directory looked at, at most: enough to say that there are some. */
  static final int MAX_UNSIGNED_ENVIRONMENT_CHANGES = 50;

  /**
   * Like {@link #trustNotices()}, for a decision about {@code environment}: with a trust root, also the changes of
   * the environment's directory no release manager signed since its last signed commit. Argo CD and Flux verify only
   * the newest commit, so a signed promotion on top would carry them into the cluster.
   */
  public List<String> trustNotices(String environment) {
    List<String> notices = new java.util.ArrayList<>(trustNotices());
    String dir = config().environment(environment).directory();
    if (owner.trust().isEmpty() || dir.isEmpty()) {
      return notices;
    }
    List<SignedFileHistory.IgnoredChange> unsigned = SignedFileHistory.unsignedSince(owner.repository(), head, dir,
        owner.trust().get(), Role.RELEASE_MANAGER, MAX_UNSIGNED_ENVIRONMENT_CHANGES);
    if (!unsigned.isEmpty()) {
      notices.add("environment '" + environment + "': " + (unsigned.size() >= MAX_UNSIGNED_ENVIRONMENT_CHANGES
          ? "at least " : "") + unsigned.size() + " change(s) under " + dir + " that no release key signed since"
          + " its last signed commit (newest: " + unsigned.get(0).describe() + "); they are not promotions, but"
          + " Argo CD and Flux verify only the newest commit, so a signed promotion on top carries them into the"
          + " cluster: review or revert them first");
    }
    return notices;
  }

  /**
   * Whether {@code commit} is {@code ancestor} or has it in its history, both full or abbreviated ids the cache has;
   * false when either is unknown.
   */
  public boolean descends(String commit, String ancestor) {
    Repository repo = owner.repository();
    ObjectId later = ReleaseQueries.commit(repo, commit);
    ObjectId earlier = ReleaseQueries.commit(repo, ancestor);
    return later != null && earlier != null && ReleaseQueries.contains(repo, later, earlier);
  }

  /** Whether this repository is checked against a trust root. */
  public boolean trusted() {
    return owner.trust().isPresent();
  }

  /** The notice of every deciding command without a trust root. */
  public static final String ADVISORY = "no trust root: " + ReleaseConfig.FILE_NAME + " and the promotion history"
      + " are taken as they are in the GitOps repository, so whoever can push there can change the policy and plant"
      + " promotions; this gate is advisory (--trust-root, see docs/policy.md, Trust root)";

  /** The bytes of a regular file, or empty if nothing is at {@code path}. */
  public Optional<byte[]> read(String path) {
    Optional<TreeEntry> entry = resolve(path);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    if (entry.get().mode() == FileMode.TREE) {
      throw ReleaseException.badInput(path + " is a directory in the GitOps repository, not a file");
    }
    try {
      return Optional.of(load(owner.repository(), entry.get().id(), path));
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read " + path + " from the GitOps cache: " + e.getMessage(), e);
    }
  }

  private record TreeEntry(FileMode mode, ObjectId id) {}

  /**
   * Finds {@code path} one component at a time, so that a symbolic link anywhere on the way is refused rather than
   * silently treated as "not found".
   */
  private Optional<TreeEntry> resolve(String path) {
    Repository repo = owner.repository();
    try (RevWalk walk = new RevWalk(repo)) {
      RevTree tree = walk.parseCommit(head).getTree();
      String[] parts = path.split("/");
      StringBuilder prefix = new StringBuilder();
      TreeEntry found = null;
      for (int i = 0; i < parts.length; i++) {
        prefix.append(i == 0 ? "" : "/").append(parts[i]);
        try (TreeWalk tw = TreeWalk.forPath(repo, prefix.toString(), tree)) {
          if (tw == null) {
            return Optional.empty();
          }
          FileMode mode = tw.getFileMode(0);
          refuseLinks(prefix.toString(), mode);
          if (i < parts.length - 1 && mode != FileMode.TREE) {
            return Optional.empty();
          }
          found = new TreeEntry(mode, tw.getObjectId(0));
        }
      }
      return Optional.ofNullable(found);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read " + path + " from the GitOps cache: " + e.getMessage(), e);
    }
  }

  /** The files an environment's editor works on: its configured file, or every YAML file under its path. */
  public ManifestSet manifests(EnvironmentSpec env) {
    String file = env.manifestFile();
    if (file != null) {
      byte[] bytes = read(file).orElseThrow(() -> ReleaseException.badInput("environment '" + env.name()
          + "': " + file + " does not exist at commit " + commitId().substring(0, 12) + "; create it or fix path/file in odoo-gitops.yaml"));
      return new ManifestSet(Map.of(file, bytes));
    }
    return new ManifestSet(yamlFilesUnder(env));
  }

  private Map<String, byte[]> yamlFilesUnder(EnvironmentSpec env) {
    String dir = env.directory();
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (!dir.isEmpty() && resolve(dir).filter(e -> e.mode() == FileMode.TREE).isEmpty()) {
      throw ReleaseException.badInput("environment '" + env.name() + "': directory '" + dir + "' does not exist at"
          + " commit " + commitId().substring(0, 12) + "; create it or fix its path in odoo-gitops.yaml");
    }
    files.putAll(filesUnder(dir, path -> path.endsWith(".yaml") || path.endsWith(".yml"), Integer.MAX_VALUE));
    if (files.isEmpty()) {
      throw ReleaseException.badInput("environment '" + env.name() + "': no YAML files under '" + dir
          + "'; check its path in odoo-gitops.yaml");
    }
    return files;
  }

  /**
   * The files under {@code dir} (recursively) whose paths {@code wanted} accepts, in path order; links and submodules
   * are refused. An absent directory has no files.
   *
   * @param max how many files at most; more is bad input, so a flood of files cannot exhaust memory
   */
  public Map<String, byte[]> filesUnder(String dir, java.util.function.Predicate<String> wanted, int max) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    Repository repo = owner.repository();
    try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(walk.parseCommit(head).getTree());
      tw.setRecursive(true);
      if (!dir.isEmpty()) {
        tw.setFilter(PathFilter.create(dir));
      }
      while (tw.next()) {
        String path = tw.getPathString();
        if (wanted.test(path)) {
          refuseLinks(path, tw.getFileMode(0));
          if (files.size() >= max) {
            throw ReleaseException.badInput(dir + " holds more than " + max + " files at commit "
                + commitId().substring(0, 12) + "; clean it up");
          }
          files.put(path, load(repo, tw.getObjectId(0), path));
        }
      }
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot list " + dir + " in the GitOps cache: " + e.getMessage(), e);
    }
    return files;
  }

  private static void refuseLinks(String path, FileMode mode) {
    if (mode == FileMode.SYMLINK) {
      throw ReleaseException.badInput(path + " is a symbolic link in the GitOps repository; odoo-gitops does not"
          + " follow links (they can point outside the repository). Replace it with the real directory or file");
    }
    if (mode == FileMode.GITLINK) {
      throw ReleaseException.badInput(path + " is a git submodule; manifests must live in the GitOps repository"
          + " itself");
    }
  }

  private static byte[] load(Repository repo, ObjectId blob, String path) throws IOException {
    try (ObjectReader reader = repo.newObjectReader()) {
      var loader = reader.open(blob, Constants.OBJ_BLOB);
      if (loader.getSize() > MAX_FILE_BYTES) {
        throw ReleaseException.badInput(path + " is " + loader.getSize() + " bytes, over the " + MAX_FILE_BYTES
            + "-byte limit for manifests and configuration");
      }
      return loader.getBytes();
    }
  }

  /** The image the environment's manifests name for the application at this commit. */
  public DeployedImage deployed(String environment, String application) {
    EnvironmentSpec env = config().environment(environment);
    return ManifestEditor.forLayout(env.layout()).current(manifests(env), config().application(application));
  }

  /**
   * The history of one environment up to this commit: promotions whose trailers match the manifests, and changes
   * nothing sanctioned, flagged.
   */
  public ReleaseHistory history(String environment) {
    return new ReleaseHistory(owner, head, config().environment(environment), config());
  }

  /** Writes a commit on top of this snapshot's head changing {@code files}; nothing is pushed. */
  ObjectId commit(Map<String, byte[]> files, String message, PersonIdent identity) {
    return commit(files, message, identity, null);
  }

  /** Like {@link #commit(Map, String, PersonIdent)}, signed by {@code signer} when it is not null. */
  ObjectId commit(Map<String, byte[]> files, String message, PersonIdent identity, CommitSigner signer) {
    Repository repo = owner.repository();
    try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      RevCommit parent = walk.parseCommit(head);
      DirCache index = DirCache.read(reader, parent.getTree());
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue());
        editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
          @Override
          public void apply(DirCacheEntry entry) {
            // Keep the executable bit if someone set it; a manifest is never a link (refused on read).
            if (entry.getFileMode() == null || entry.getRawMode() == 0) {
              entry.setFileMode(FileMode.REGULAR_FILE);
            }
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setParentId(parent);
      commit.setAuthor(identity);
      commit.setCommitter(identity);
      commit.setMessage(message);
      if (signer != null) {
        signer.sign(commit, identity.getWhenAsInstant());
      }
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot write the promotion commit into the GitOps cache: "
          + e.getMessage(), e);
    }
  }

}
