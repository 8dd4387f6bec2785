package io.odoogitops.jenkins.image;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.ImageDigest;
import io.odoogitops.image.BuildRequest;
import io.odoogitops.image.BuildResult;
import io.odoogitops.image.BuiltModule;
import io.odoogitops.image.ImageBuild;
import io.odoogitops.image.ImageTarget;
import io.odoogitops.image.RegistryCredentials;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.step.CommaList;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.OdooStepExecution;
import io.odoogitops.jenkins.step.RunCredentials;
import io.odoogitops.jenkins.step.WorkspaceCallable;
import java.io.Serial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooBuildImage}: builds the immutable image of the workspace's Odoo addons, without a Docker daemon, and
 * pushes it (or writes an OCI archive); the CLI's {@code odoo-gitops build}. A tag that already points at another
 * digest is refused. Returns the digest and the pinned reference the later steps take.
 */
public class OdooBuildImageStep extends Step {

  private final String image;
  private final String base;
  private String addons;
  private String tags;
  private String output;
  private boolean strictBase;
  private boolean insecureRegistry;

  @DataBoundConstructor
  public OdooBuildImageStep(String image, String base) {
    this.image = Util.fixEmptyAndTrim(image);
    this.base = Util.fixEmptyAndTrim(base);
  }

  public String getImage() {
    return image;
  }

  public String getBase() {
    return base;
  }

  public String getAddons() {
    return addons;
  }

  /** Comma-separated addons directories, relative to the workspace (default: the workspace itself). */
  @DataBoundSetter
  public void setAddons(String addons) {
    this.addons = Util.fixEmptyAndTrim(addons);
  }

  public String getTags() {
    return tags;
  }

  /** Comma-separated tags to write; default {@code <odoo-series>-<short revision>}. */
  @DataBoundSetter
  public void setTags(String tags) {
    this.tags = Util.fixEmptyAndTrim(tags);
  }

  public String getOutput() {
    return output;
  }

  /** {@code registry} (default) or {@code oci:PATH} for an OCI archive in the workspace. */
  @DataBoundSetter
  public void setOutput(String output) {
    this.output = Util.fixEmptyAndTrim(output);
  }

  public boolean isStrictBase() {
    return strictBase;
  }

  @DataBoundSetter
  public void setStrictBase(boolean strictBase) {
    this.strictBase = strictBase;
  }

  public boolean isInsecureRegistry() {
    return insecureRegistry;
  }

  @DataBoundSetter
  public void setInsecureRegistry(boolean insecureRegistry) {
    this.insecureRegistry = insecureRegistry;
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends OdooStepExecution<OdooBuildImageStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    Execution(StepContext context, OdooBuildImageStep step) {
      super(context, step);
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      EnvVars env = envVars();
      return workspace().act(new BuildImageCallable(step, registryLogin(build()), env.get("GIT_COMMIT"),
          publicSource(env.get("GIT_URL")), listener()));
    }

    /**
     * The configured registry's credentials, but only for an image in that registry: credentials never go to a
     * registry the administrator did not name.
     */
    private Login registryLogin(Run<?, ?> run) throws AbortException {
      OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
      String registry = config.getRegistry();
      if (registry == null || step.image == null || !step.image.startsWith(registry + "/")) {
        return null;
      }
      StandardUsernamePasswordCredentials login = RunCredentials.find(run, config.getRegistryCredentialsId(),
          StandardUsernamePasswordCredentials.class, "https://" + registry, "registry");
      return login == null ? null : new Login(login.getUsername(), login.getPassword().getPlainText());
    }
  }

  /** Image labels are public: a checkout URL with user info (a token) in it loses it first; null stays null. */
  static String publicSource(String gitUrl) {
    return gitUrl == null ? null : gitUrl.replaceFirst("^([a-z+]+://)[^/@]*@", "$1");
  }

  /** Registry login sent to the agent; {@link #toString()} hides the password. */
  record Login(String username, String password) implements java.io.Serializable {
    @Override
    public String toString() {
      return "Login[" + username + ", ****]";
    }
  }

  /** Runs on the agent, in the workspace: the core's {@code ImageBuild}. */
  static final class BuildImageCallable extends WorkspaceCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String image;
    private final String base;
    private final List<String> addons;
    private final List<String> tags;
    private final String output;
    private final boolean strictBase;
    private final boolean insecureRegistry;
    private final Login login;
    private final String revision;
    private final String source;

    BuildImageCallable(OdooBuildImageStep step, Login login, String revision, String source,
        TaskListener listener) {
      super(listener);
      this.image = step.image;
      this.base = step.base;
      List<String> dirs = CommaList.split(step.addons);
      this.addons = dirs.isEmpty() ? List.of(".") : dirs;
      this.tags = CommaList.split(step.tags);
      this.output = step.output;
      this.strictBase = step.strictBase;
      this.insecureRegistry = step.insecureRegistry;
      this.login = login;
      this.revision = revision;
      this.source = source;
    }

    @Override
    protected List<String> secrets() {
      return login == null ? List.of() : List.of(login.password());
    }

    @Override
    protected Map<String, Object> work(Path root, Consumer<String> log) {
      BuildRequest.Builder request = BuildRequest.builder()
          .baseImage(base)
          .image(image)
          .tags(tags)
          .strictBase(strictBase)
          .insecureRegistry(insecureRegistry)
          .revision(revision)
          .source(source)
          .progress(log);
      addons.forEach(dir -> request.addonsDir(root.resolve(dir).normalize()));
      if (output != null) {
        request.target(output.startsWith("oci:") ? new ImageTarget.OciArchive(root.resolve(output.substring(4)))
            : ImageTarget.parse(output));
      }
      if (login != null) {
        request.registryCredentials(new RegistryCredentials(login.username(), login.password()));
      }
      return describe(ImageBuild.run(request.build()));
    }
  }

  /** The Pipeline's view of a {@link BuildResult}, named as in the CLI's JSON, plus the pinned reference. */
  static Map<String, Object> describe(BuildResult result) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("image", result.pinnedReference());
    map.put("repository", result.image());
    map.put("digest", ImageDigest.text(result.digest()));
    map.put("tags", result.tags());
    map.put("createdTags", result.createdTags());
    map.put("baseDigest", ImageDigest.text(result.baseDigest()));
    map.put("odooSeries", result.odooSeries());
    map.put("revision", result.revision());
    List<String> modules = new ArrayList<>();
    for (BuiltModule module : result.modules()) {
      modules.add(module.name() + " " + module.version());
    }
    map.put("modules", modules);
    return map;
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooBuildImage", EnvVars.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooBuildImageStep_DisplayName();
    }
  }
}
