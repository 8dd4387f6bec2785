package io.odoogitops.jenkins.config;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import hudson.Extension;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.jenkins.trust.TrustRootText;
import io.odoogitops.trust.CommitSigner;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Where the release pipeline's shared infrastructure is: the GitOps repository (which also holds the release policy,
 * {@code odoo-gitops.yaml} at its root), the image registry, the staging database and the Kubernetes API server.
 * Credentials are referenced by id and resolved per build, so folders can scope them. Settable from
 * configuration-as-code as {@code unclassified: odooGitops: ...}.
 */
@Extension
@Symbol("odooGitops")
public class OdooGitOpsConfiguration extends GlobalConfiguration {

  static final String DEFAULT_BRANCH = "main";
  static final String DEFAULT_COMMITTER = "Jenkins <jenkins@localhost>";
  private static final Pattern COMMITTER = Pattern.compile("[^<>]+<[^<>@\\s]+@[^<>\\s]+>");

  private String gitopsRepositoryUrl;
  private String gitopsBranch = DEFAULT_BRANCH;
  private String gitopsCredentialsId;
  private String sshKnownHosts;
  private boolean acceptNewHostKeys;
  private String committer = DEFAULT_COMMITTER;
  private String registry;
  private String registryCredentialsId;
  private String stagingDatabaseUrl;
  private String stagingDatabaseCredentialsId;
  private String kubernetesServerUrl;
  private String kubernetesCredentialsId;
  private String kubernetesCaCertificate;
  private String voteSigningCredentialsId;
  private boolean recordVotes;
  private String trustRoot;
  private String releaseKeyCredentialsId;
  private String releaseKeyFormat = "ssh";
  private String releaseKeyPassphraseCredentialsId;

  public OdooGitOpsConfiguration() {
    load();
  }

  public static OdooGitOpsConfiguration get() {
    return GlobalConfiguration.all().getInstance(OdooGitOpsConfiguration.class);
  }

  public String getGitopsRepositoryUrl() {
    return gitopsRepositoryUrl;
  }

  @DataBoundSetter
  public void setGitopsRepositoryUrl(String gitopsRepositoryUrl) {
    this.gitopsRepositoryUrl = Util.fixEmptyAndTrim(gitopsRepositoryUrl);
    save();
  }

  public String getGitopsBranch() {
    return gitopsBranch;
  }

  @DataBoundSetter
  public void setGitopsBranch(String gitopsBranch) {
    String branch = Util.fixEmptyAndTrim(gitopsBranch);
    this.gitopsBranch = branch == null ? DEFAULT_BRANCH : branch;
    save();
  }

  public String getGitopsCredentialsId() {
    return gitopsCredentialsId;
  }

  @DataBoundSetter
  public void setGitopsCredentialsId(String gitopsCredentialsId) {
    this.gitopsCredentialsId = Util.fixEmptyAndTrim(gitopsCredentialsId);
    save();
  }

  public String getSshKnownHosts() {
    return sshKnownHosts;
  }

  /** known_hosts lines for SSH GitOps URLs; blank uses the agent user's {@code ~/.ssh/known_hosts}. */
  @DataBoundSetter
  public void setSshKnownHosts(String sshKnownHosts) {
    this.sshKnownHosts = Util.fixEmptyAndTrim(sshKnownHosts);
    save();
  }

  public boolean isAcceptNewHostKeys() {
    return acceptNewHostKeys;
  }

  @DataBoundSetter
  public void setAcceptNewHostKeys(boolean acceptNewHostKeys) {
    this.acceptNewHostKeys = acceptNewHostKeys;
    save();
  }

  public String getCommitter() {
    return committer;
  }

  @DataBoundSetter
  public void setCommitter(String committer) {
    String value = Util.fixEmptyAndTrim(committer);
    this.committer = value == null ? DEFAULT_COMMITTER : value;
    save();
  }

  public String getRegistry() {
    return registry;
  }

  @DataBoundSetter
  public void setRegistry(String registry) {
    this.registry = Util.fixEmptyAndTrim(registry);
    save();
  }

  public String getRegistryCredentialsId() {
    return registryCredentialsId;
  }

  @DataBoundSetter
  public void setRegistryCredentialsId(String registryCredentialsId) {
    this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    save();
  }

  public String getStagingDatabaseUrl() {
    return stagingDatabaseUrl;
  }

  @DataBoundSetter
  public void setStagingDatabaseUrl(String stagingDatabaseUrl) {
    this.stagingDatabaseUrl = Util.fixEmptyAndTrim(stagingDatabaseUrl);
    save();
  }

  public String getStagingDatabaseCredentialsId() {
    return stagingDatabaseCredentialsId;
  }

  @DataBoundSetter
  public void setStagingDatabaseCredentialsId(String stagingDatabaseCredentialsId) {
    this.stagingDatabaseCredentialsId = Util.fixEmptyAndTrim(stagingDatabaseCredentialsId);
    save();
  }

  public String getKubernetesServerUrl() {
    return kubernetesServerUrl;
  }

  /** API server for odooVerify; blank uses the agent's kubeconfig or service account. */
  @DataBoundSetter
  public void setKubernetesServerUrl(String kubernetesServerUrl) {
    this.kubernetesServerUrl = Util.fixEmptyAndTrim(kubernetesServerUrl);
    save();
  }

  public String getKubernetesCredentialsId() {
    return kubernetesCredentialsId;
  }

  /** A secret text credential holding a bearer token for the API server. */
  @DataBoundSetter
  public void setKubernetesCredentialsId(String kubernetesCredentialsId) {
    this.kubernetesCredentialsId = Util.fixEmptyAndTrim(kubernetesCredentialsId);
    save();
  }

  public String getKubernetesCaCertificate() {
    return kubernetesCaCertificate;
  }

  /** PEM CA certificate of the API server; blank trusts the JVM's CAs. */
  @DataBoundSetter
  public void setKubernetesCaCertificate(String kubernetesCaCertificate) {
    this.kubernetesCaCertificate = Util.fixEmptyAndTrim(kubernetesCaCertificate);
    save();
  }

  public String getVoteSigningCredentialsId() {
    return voteSigningCredentialsId;
  }

  /**
   * The controller's vote-signing key: an SSH private key credential of System scope. Votes cast on the gate page are
   * signed with it for the authenticated user; blank: gate-page votes are unsigned (they count only while the policy
   * has no allowedSigners).
   */
  @DataBoundSetter
  public void setVoteSigningCredentialsId(String voteSigningCredentialsId) {
    this.voteSigningCredentialsId = Util.fixEmptyAndTrim(voteSigningCredentialsId);
    save();
  }

  public boolean isRecordVotes() {
    return recordVotes;
  }

  /** Also commit each signed gate-page vote under {@code votes/} of the GitOps repository (the audit trail). */
  @DataBoundSetter
  public void setRecordVotes(boolean recordVotes) {
    this.recordVotes = recordVotes;
    save();
  }

  public String getTrustRoot() {
    return trustRoot;
  }

  /** The trust root: the absolute path of the trust root file on the controller, or its text; blank: none. */
  @DataBoundSetter
  public void setTrustRoot(String trustRoot) {
    this.trustRoot = Util.fixEmptyAndTrim(trustRoot);
    save();
  }

  public String getReleaseKeyCredentialsId() {
    return releaseKeyCredentialsId;
  }

  /**
   * The release key that signs promotion and rollback commits, on the controller only: an SSH private key credential
   * (format ssh) or a secret file credential holding an armored OpenPGP secret key (format openpgp), of System scope.
   */
  @DataBoundSetter
  public void setReleaseKeyCredentialsId(String releaseKeyCredentialsId) {
    this.releaseKeyCredentialsId = Util.fixEmptyAndTrim(releaseKeyCredentialsId);
    save();
  }

  public String getReleaseKeyFormat() {
    return releaseKeyFormat;
  }

  @DataBoundSetter
  public void setReleaseKeyFormat(String releaseKeyFormat) {
    String v = Util.fixEmptyAndTrim(releaseKeyFormat);
    this.releaseKeyFormat = v == null ? "ssh" : v.toLowerCase(Locale.ROOT);
    save();
  }

  public String getReleaseKeyPassphraseCredentialsId() {
    return releaseKeyPassphraseCredentialsId;
  }

  /** A secret text credential (System scope) holding the OpenPGP key's passphrase; blank: the key is unprotected. */
  @DataBoundSetter
  public void setReleaseKeyPassphraseCredentialsId(String releaseKeyPassphraseCredentialsId) {
    this.releaseKeyPassphraseCredentialsId = Util.fixEmptyAndTrim(releaseKeyPassphraseCredentialsId);
    save();
  }

  /** The committer's name, from {@code Name <email>}. */
  public String committerName() {
    return committer.substring(0, committer.indexOf('<')).strip();
  }

  /** The committer's e-mail, from {@code Name <email>}. */
  public String committerEmail() {
    return committer.substring(committer.indexOf('<') + 1, committer.indexOf('>')).strip();
  }

  @POST
  public FormValidation doCheckGitopsRepositoryUrl(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String url = Util.fixEmptyAndTrim(value);
    if (url == null) {
      return FormValidation.error("Required: the GitOps repository every promotion commits to, e.g."
          + " https://git.example.com/ops/gitops.git or git@git.example.com:ops/gitops.git");
    }
    if (url.matches("[\\w.-]+@[\\w.-]+:.+")) {
      return FormValidation.ok(); // scp-like SSH syntax
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.matches("https?|ssh|git|file")) {
        return FormValidation.error("Unsupported scheme '" + scheme + "': use https://, ssh://, git@host:path,"
            + " git:// or file://");
      }
      if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
        return FormValidation.error("Do not put a password or token in the URL; store it as a credential and"
            + " select it below");
      }
      if (scheme.equals("http")) {
        return FormValidation.warning("Plain http:// sends credentials unencrypted; prefer https://");
      }
      return FormValidation.ok();
    } catch (URISyntaxException e) {
      return FormValidation.error("Not a URL: " + e.getReason());
    }
  }

  @POST
  public FormValidation doCheckCommitter(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String v = Util.fixEmptyAndTrim(value);
    return v == null || COMMITTER.matcher(v).matches() ? FormValidation.ok()
        : FormValidation.error("Write the commit identity as: Name <email@example.com>");
  }

  @POST
  public FormValidation doCheckStagingDatabaseUrl(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String v = Util.fixEmptyAndTrim(value);
    if (v == null) {
      return FormValidation.ok("Optional: only odooDryRun needs the staging database");
    }
    if (v.contains("password=")) {
      return FormValidation.error("Do not put the password in the URL; select a username/password credential");
    }
    try {
      // The same parser the dry-run uses (no URL parameters, a plain database name); the user comes from the
      // credential, so any name does for the check.
      PgEndpoint.parse(v, "credential-user", null);
      return FormValidation.ok();
    } catch (ReleaseException e) {
      return FormValidation.error(e.getMessage());
    }
  }

  @POST
  public FormValidation doCheckRegistry(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String v = Util.fixEmptyAndTrim(value);
    if (v == null) {
      return FormValidation.ok("Optional: only odooBuildImage needs a registry");
    }
    return v.contains("://") || v.contains("/")
        ? FormValidation.error("Write the registry host only, e.g. registry.example.com or 127.0.0.1:5000")
        : FormValidation.ok();
  }

  @POST
  public FormValidation doCheckKubernetesServerUrl(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String v = Util.fixEmptyAndTrim(value);
    if (v == null) {
      return FormValidation.ok("Blank: odooVerify uses the agent's kubeconfig or in-cluster service account");
    }
    return v.startsWith("https://") ? FormValidation.ok()
        : FormValidation.error("Write the API server as https://host:6443");
  }

  @POST
  public FormValidation doCheckKubernetesCaCertificate(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String v = Util.fixEmptyAndTrim(value);
    return v == null || v.startsWith("-----BEGIN CERTIFICATE-----") ? FormValidation.ok()
        : FormValidation.error("Paste the PEM certificate, starting with -----BEGIN CERTIFICATE-----");
  }

  @POST
  public FormValidation doCheckTrustRoot(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    if (Util.fixEmptyAndTrim(value) == null) {
      return FormValidation.warning("No trust root: a change of odoo-gitops.yaml takes effect unsigned and"
          + " promotions need no release key; every gate says it is advisory");
    }
    try {
      return FormValidation.ok(TrustRootText.of(value).parse().describe());
    } catch (ReleaseException e) {
      return FormValidation.error(e.getMessage());
    }
  }

  @POST
  public FormValidation doCheckReleaseKeyFormat(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    try {
      CommitSigner.Format.parse(Util.fixEmptyAndTrim(value) == null ? "ssh" : value.strip());
      return FormValidation.ok();
    } catch (ReleaseException e) {
      return FormValidation.error("Write ssh or openpgp");
    }
  }

  public ListBoxModel doFillReleaseKeyFormatItems() {
    ListBoxModel items = new ListBoxModel();
    items.add("SSH", "ssh");
    items.add("OpenPGP", "openpgp");
    return items;
  }

  @POST
  public ListBoxModel doFillVoteSigningCredentialsIdItems(@QueryParameter String voteSigningCredentialsId) {
    return credentialItems(null, voteSigningCredentialsId, SSHUserPrivateKey.class);
  }

  @POST
  public ListBoxModel doFillReleaseKeyCredentialsIdItems(@QueryParameter String releaseKeyCredentialsId) {
    return credentialItems(null, releaseKeyCredentialsId, StandardCredentials.class);
  }

  @POST
  public ListBoxModel doFillReleaseKeyPassphraseCredentialsIdItems(
      @QueryParameter String releaseKeyPassphraseCredentialsId) {
    return credentialItems(null, releaseKeyPassphraseCredentialsId, StringCredentials.class);
  }

  @POST
  public ListBoxModel doFillKubernetesCredentialsIdItems(@QueryParameter String kubernetesServerUrl,
      @QueryParameter String kubernetesCredentialsId) {
    return credentialItems(kubernetesServerUrl, kubernetesCredentialsId, StringCredentials.class);
  }

  @POST
  public ListBoxModel doFillGitopsCredentialsIdItems(@QueryParameter String gitopsRepositoryUrl,
      @QueryParameter String gitopsCredentialsId) {
    return credentialItems(gitopsRepositoryUrl, gitopsCredentialsId, StandardCredentials.class);
  }

  @POST
  public ListBoxModel doFillRegistryCredentialsIdItems(@QueryParameter String registry,
      @QueryParameter String registryCredentialsId) {
    return credentialItems(registry == null ? null : "https://" + registry, registryCredentialsId,
        StandardUsernamePasswordCredentials.class);
  }

  @POST
  public ListBoxModel doFillStagingDatabaseCredentialsIdItems(@QueryParameter String stagingDatabaseCredentialsId) {
    return credentialItems(null, stagingDatabaseCredentialsId, StandardUsernamePasswordCredentials.class);
  }

  private static ListBoxModel credentialItems(String url, String current, Class<? extends StandardCredentials> type) {
    StandardListBoxModel model = new StandardListBoxModel();
    if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
      return model.includeCurrentValue(current);
    }
    String uri = Util.fixEmptyAndTrim(url);
    model.includeEmptyValue();
    model.includeAs(ACL.SYSTEM2, Jenkins.get(), type,
        uri == null ? java.util.List.of() : URIRequirementBuilder.fromUri(uri).build());
    return model.includeCurrentValue(current);
  }
}
