package io.odoogitops.jenkins.dryrun;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.setup.DryRunSetup;
import io.odoogitops.dryrun.setup.DurationText;
import io.odoogitops.dryrun.setup.ShareText;
import io.odoogitops.ImageRef;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.step.CommaList;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.OdooStepExecution;
import io.odoogitops.jenkins.step.RunCredentials;
import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooDryRun}: runs the release's migrations on a fresh, neutralized clone of the production database and
 * judges them; the CLI's {@code odoo-gitops dry-run}. The JSON and Markdown reports are archived, the JUnit XML is
 * left in the workspace for the {@code junit} step, and the build page gets a summary. Returns the verdict and the
 * report's path and hash, which {@code odooGate} takes as {@code dryRunReport}.
 */
public class OdooDryRunStep extends Step {

  static final String DEFAULT_REPORT_DIR = "odoo-gitops-dry-run";

  private final String image;
  private String migrations;
  private String strategy = "template";
  private String containerImage;
  private String neutralizeSql;
  private String largeTableRows;
  private boolean upgradeContainer;
  private String imageArchive;
  private String odooTimeout;
  private String odooBin;
  private String odooArgs;
  private boolean requireOdooUpgrade;
  private String maxRowsRewritten;
  private String maxWriteBlocking;
  private String lockSampleInterval;
  private String sourceDatabaseUrl;
  private String stagingAdminDatabase = "postgres";
  private String reportDir = DEFAULT_REPORT_DIR;
  private String maxDuration;
  private String maxAccessExclusive;
  private String forbid;
  private boolean requireRollbackSafe;
  private boolean failOnVerdict = true;

  @DataBoundConstructor
  public OdooDryRunStep(String image) {
    this.image = Util.fixEmptyAndTrim(image);
  }

  public String getImage() {
    return image;
  }

  /** Comma-separated, as {@code archiveArtifacts} and {@code junit} take their patterns. */
  public String getMigrations() {
    return migrations;
  }

  /** Optional since the Odoo upgrade alone is a dry-run too; a Jenkinsfile naming it keeps working. */
  @DataBoundSetter
  public void setMigrations(String migrations) {
    this.migrations = Util.fixEmptyAndTrim(migrations);
  }

  public String getStrategy() {
    return strategy;
  }

  /** {@code template} (default), {@code dump}, {@code embedded} or {@code container}: how the copy is cloned. */
  @DataBoundSetter
  public void setStrategy(String strategy) {
    String s = Util.fixEmptyAndTrim(strategy);
    this.strategy = s == null ? "template" : s;
  }

  public String getContainerImage() {
    return containerImage;
  }

  /** For the container strategy: the PostgreSQL image instead of {@code postgres:<source major>}. */
  @DataBoundSetter
  public void setContainerImage(String containerImage) {
    this.containerImage = Util.fixEmptyAndTrim(containerImage);
  }

  public String getNeutralizeSql() {
    return neutralizeSql;
  }

  /** Comma-separated workspace SQL files run on the clone after Odoo's neutralization. */
  @DataBoundSetter
  public void setNeutralizeSql(String neutralizeSql) {
    this.neutralizeSql = Util.fixEmptyAndTrim(neutralizeSql);
  }

  public String getLargeTableRows() {
    return largeTableRows;
  }

  /** From how many rows a table is large (default 100000). */
  @DataBoundSetter
  public void setLargeTableRows(String largeTableRows) {
    this.largeTableRows = Util.fixEmptyAndTrim(largeTableRows);
  }

  public String getSourceDatabaseUrl() {
    return sourceDatabaseUrl;
  }

  /** Overrides the staging database of the global configuration. */
  @DataBoundSetter
  public void setSourceDatabaseUrl(String sourceDatabaseUrl) {
    this.sourceDatabaseUrl = Util.fixEmptyAndTrim(sourceDatabaseUrl);
  }

  public String getStagingAdminDatabase() {
    return stagingAdminDatabase;
  }

  /** Maintenance database on the same server where clones are created and dropped (default {@code postgres}). */
  @DataBoundSetter
  public void setStagingAdminDatabase(String stagingAdminDatabase) {
    String s = Util.fixEmptyAndTrim(stagingAdminDatabase);
    this.stagingAdminDatabase = s == null ? "postgres" : s;
  }

  public String getReportDir() {
    return reportDir;
  }

  @DataBoundSetter
  public void setReportDir(String reportDir) {
    String s = Util.fixEmptyAndTrim(reportDir);
    this.reportDir = s == null ? DEFAULT_REPORT_DIR : s;
  }

  public String getMaxDuration() {
    return maxDuration;
  }

  @DataBoundSetter
  public void setMaxDuration(String maxDuration) {
    this.maxDuration = Util.fixEmptyAndTrim(maxDuration);
  }

  public String getMaxAccessExclusive() {
    return maxAccessExclusive;
  }

  @DataBoundSetter
  public void setMaxAccessExclusive(String maxAccessExclusive) {
    this.maxAccessExclusive = Util.fixEmptyAndTrim(maxAccessExclusive);
  }

  public String getForbid() {
    return forbid;
  }

  /** Comma-separated lint rule ids that FAIL the run. */
  @DataBoundSetter
  public void setForbid(String forbid) {
    this.forbid = Util.fixEmptyAndTrim(forbid);
  }

  public boolean isUpgradeContainer() {
    return upgradeContainer;
  }

  /** Runs {@code odoo -u} in a container of the image on the agent's Docker engine, after the SQL migrations. */
  @DataBoundSetter
  public void setUpgradeContainer(boolean upgradeContainer) {
    this.upgradeContainer = upgradeContainer;
  }

  public String getImageArchive() {
    return imageArchive;
  }

  /** With {@code upgradeContainer}: the workspace archive {@code odooBuildImage} wrote, instead of the registry. */
  @DataBoundSetter
  public void setImageArchive(String imageArchive) {
    this.imageArchive = Util.fixEmptyAndTrim(imageArchive);
  }

  public String getOdooTimeout() {
    return odooTimeout;
  }

  /** How long {@code odoo -u} may take ({@code 30m} by default). */
  @DataBoundSetter
  public void setOdooTimeout(String odooTimeout) {
    this.odooTimeout = Util.fixEmptyAndTrim(odooTimeout);
  }

  public String getOdooBin() {
    return odooBin;
  }

  /** Runs {@code odoo -u} as a process on the agent with this {@code odoo-bin}, after the SQL migrations. */
  @DataBoundSetter
  public void setOdooBin(String odooBin) {
    this.odooBin = Util.fixEmptyAndTrim(odooBin);
  }

  public String getOdooArgs() {
    return odooArgs;
  }

  /** Arguments of {@code odooBin}, one per line (an argument may hold commas, e.g. {@code --addons-path=a,b}). */
  @DataBoundSetter
  public void setOdooArgs(String odooArgs) {
    this.odooArgs = Util.fixEmptyAndTrim(odooArgs);
  }

  public boolean isRequireOdooUpgrade() {
    return requireOdooUpgrade;
  }

  /** FAIL, not WARN, when the plan upgrades modules and no runner ran {@code odoo -u}. */
  @DataBoundSetter
  public void setRequireOdooUpgrade(boolean requireOdooUpgrade) {
    this.requireOdooUpgrade = requireOdooUpgrade;
  }

  public String getMaxRowsRewritten() {
    return maxRowsRewritten;
  }

  /** Share of a large table's rows {@code odoo -u} may update before a WARN: {@code 50%} or {@code 0.5}. */
  @DataBoundSetter
  public void setMaxRowsRewritten(String maxRowsRewritten) {
    this.maxRowsRewritten = Util.fixEmptyAndTrim(maxRowsRewritten);
  }

  public String getMaxWriteBlocking() {
    return maxWriteBlocking;
  }

  /** Longest a writer-blocking lock (SHARE and stronger) may be held on a large table: {@code 30s}. */
  @DataBoundSetter
  public void setMaxWriteBlocking(String maxWriteBlocking) {
    this.maxWriteBlocking = Util.fixEmptyAndTrim(maxWriteBlocking);
  }

  public String getLockSampleInterval() {
    return lockSampleInterval;
  }

  /** How often the locks of {@code odoo -u} are sampled, at most {@code 200ms}. */
  @DataBoundSetter
  public void setLockSampleInterval(String lockSampleInterval) {
    this.lockSampleInterval = Util.fixEmptyAndTrim(lockSampleInterval);
  }

  public boolean isRequireRollbackSafe() {
    return requireRollbackSafe;
  }

  @DataBoundSetter
  public void setRequireRollbackSafe(boolean requireRollbackSafe) {
    this.requireRollbackSafe = requireRollbackSafe;
  }

  public boolean isFailOnVerdict() {
    return failOnVerdict;
  }

  /** Whether a FAIL verdict fails the step (after the reports are archived); default true. */
  @DataBoundSetter
  public void setFailOnVerdict(boolean failOnVerdict) {
    this.failOnVerdict = failOnVerdict;
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends OdooStepExecution<OdooDryRunStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    Execution(StepContext context, OdooDryRunStep step) {
      super(context, step);
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = build();
      FilePath workspace = workspace();
      TaskListener listener = listener();
      Launcher launcher = getContext().get(Launcher.class);
      DryRunSettings settings = step.settings(run);
      Map<String, Object> summary = workspace.act(new DryRunCallable(settings, listener));
      archive(run, workspace, launcher, listener, summary);
      run.addOrReplaceAction(new DryRunAction(summary));
      listener.getLogger().println("odooDryRun: " + summary.get("verdict") + " for " + summary.get("imageDigest")
          + " (rollback " + summary.get("rollbackSafety") + "); report " + summary.get("report"));
      if (step.failOnVerdict && "FAIL".equals(summary.get("verdict"))) {
        throw new AbortException("refused: the dry-run verdict is FAIL: " + summary.get("reasons")
            + "; see the archived " + summary.get("markdown"));
      }
      return summary;
    }

    private static void archive(Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener,
        Map<String, Object> summary) throws Exception {
      Map<String, String> files = new LinkedHashMap<>();
      for (String key : List.of("report", "reportSha256File", "markdown", "junit")) {
        Object path = summary.get(key);
        if (path != null) {
          files.put(path.toString(), path.toString());
        }
      }
      run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), files);
    }
  }

  /** Resolves credentials and checks every parameter on the controller, before any agent work starts. */
  DryRunSettings settings(Run<?, ?> run) throws AbortException {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    String source = sourceDatabaseUrl != null ? sourceDatabaseUrl : config.getStagingDatabaseUrl();
    if (source == null) {
      throw new AbortException("bad_input: no staging database is configured; set it in Manage Jenkins > System >"
          + " Odoo GitOps, or pass sourceDatabaseUrl");
    }
    // optional: most Odoo releases have no SQL migrations, and the Odoo upgrade alone is a dry-run too
    List<String> locations = CommaList.split(migrations);
    ImageRef ref;
    Duration maxTotal;
    Duration maxExclusive;
    Duration upgradeTimeout;
    Duration sampleInterval;
    Double rowsShare;
    Duration maxBlocking;
    try {
      DryRunSetup.Strategy.parse(strategy);
      ref = ImageRef.parse(image);
      maxTotal = maxDuration == null ? null : DurationText.parse(maxDuration, "maxDuration");
      maxExclusive = maxAccessExclusive == null ? null : DurationText.parse(maxAccessExclusive, "maxAccessExclusive");
      upgradeTimeout = odooTimeout == null ? null : DurationText.parse(odooTimeout, "odooTimeout");
      sampleInterval = lockSampleInterval == null ? null : DurationText.parse(lockSampleInterval, "lockSampleInterval");
      rowsShare = maxRowsRewritten == null ? null : ShareText.parse(maxRowsRewritten, "maxRowsRewritten");
      maxBlocking = maxWriteBlocking == null ? null : DurationText.parse(maxWriteBlocking, "maxWriteBlocking");
    } catch (ReleaseException e) {
      throw new AbortException("bad_input: " + e.getMessage());
    }
    Long largeRows = null;
    if (largeTableRows != null) {
      try {
        largeRows = Long.valueOf(largeTableRows);
      } catch (NumberFormatException e) {
        throw new AbortException("bad_input: largeTableRows '" + largeTableRows + "' is not a number of rows");
      }
    }
    StandardUsernamePasswordCredentials login = RunCredentials.find(run, config.getStagingDatabaseCredentialsId(),
        StandardUsernamePasswordCredentials.class, null, "staging database");
    if (login == null) {
      throw new AbortException("bad_input: no staging database credentials are configured; select a"
          + " username/password credential in Manage Jenkins > System > Odoo GitOps");
    }
    return new DryRunSettings(ref.pinned(), ref.digest(), locations, strategy, containerImage, source,
        stagingAdminDatabase, login.getUsername(), login.getPassword().getPlainText(), reportDir,
        CommaList.split(neutralizeSql), maxTotal, maxExclusive, largeRows, CommaList.split(forbid),
        requireRollbackSafe, upgradeContainer, imageArchive, upgradeTimeout, odooBin, odooArgList(),
        requireOdooUpgrade, rowsShare, sampleInterval, maxBlocking);
  }

  /** One argument per line; blank lines dropped. An ArrayList: it crosses the agent channel. */
  private ArrayList<String> odooArgList() {
    ArrayList<String> args = new ArrayList<>();
    if (odooArgs != null) {
      for (String line : odooArgs.split("\\R")) {
        if (!line.isBlank()) {
          args.add(line.strip());
        }
      }
    }
    return args;
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooDryRun", Launcher.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooDryRunStep_DisplayName();
    }

    public ListBoxModel doFillStrategyItems() {
      ListBoxModel items = new ListBoxModel();
      // the step's default first, then the core's other strategies
      items.add("template");
      DryRunSetup.Strategy.ids().stream().filter(id -> !id.equals("template")).forEach(items::add);
      return items;
    }
  }
}
