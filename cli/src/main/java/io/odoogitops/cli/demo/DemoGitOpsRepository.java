package io.odoogitops.cli.demo;

import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.trust.CommitSigner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's GitOps repository: staging and production in kustomize layout, production gated (2 of 3 release
 * managers, four eyes, a passing dry-run signed by CI), promoted from staging, frozen around month-end close; votes
 * and reports count only when signed by the keys the policy lists.
 */
final class DemoGitOpsRepository {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String CONFIG = """
      # Release configuration of the demo, reviewed like code.
      timeZone: Europe/Brussels
      calendars:
        be-business:
          weekends: [SAT, SUN]
          annualHolidays: [01-01, 05-01, 07-21, 08-15, 11-01, 11-11, 12-25]
      groups:
        release-managers: [carol, dave, erin]
      applications:
        odoo: { image: %s }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
          gate:
            approvals: 2
            approvers: [group:release-managers]
            fourEyes: true
            dryRun: WARN                 # a dry-run of this very digest, PASS or WARN
            dryRunSigners: [ci-dryrun]   # ... whose report the CI dry-run key signed
          freeze:
            - name: month-end close
              monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 2, calendar: be-business }
          override: { approvals: 1, approvers: [group:release-managers] }
      # Votes and dry-run reports count only when signed by these keys.
      allowedSigners:
        carol: %s
        dave: %s
        erin: %s
        ci-dryrun: %s
      """;

  private DemoGitOpsRepository() {}

  /** The policy file, naming the public keys of the voters and of the CI dry-run key. */
  static String config(DemoKeys keys) {
    return CONFIG.formatted(IMAGE, keys.publicKey("carol"), keys.publicKey("dave"), keys.publicKey("erin"),
        keys.publicKey("ci-dryrun"));
  }

  /**
   * The repository's first two commits: the environments, signed by the release key as every later change of them
   * is, then the policy, signed by the policy admin, so that under the trust root both are in force from the start.
   */
  static List<RepositorySeed.Commit> seed(DemoKeys keys) {
    return List.of(
        new RepositorySeed.Commit(environments(), "environments: staging and production at the initial image",
            CommitSigner.fromKeyFile(keys.key("release-bot"), CommitSigner.Format.SSH, null)),
        new RepositorySeed.Commit(Map.of("odoo-gitops.yaml", config(keys)),
            "policy: production gated by signed votes and a signed dry-run, frozen around month-end close",
            CommitSigner.fromKeyFile(keys.key("alice"), CommitSigner.Format.SSH, null)));
  }

  private static Map<String, String> environments() {
    Map<String, String> files = new LinkedHashMap<>();
    String kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../base
        images:
          # the Odoo image with the custom modules; odoo-gitops pins it by digest
          - name: %s
            newTag: "17.0-r0"
            digest: sha256:%s
        """.formatted(IMAGE, "0".repeat(64));
    files.put("envs/staging/kustomization.yaml", kustomization);
    files.put("envs/production/kustomization.yaml", kustomization);
    files.put("base/kustomization.yaml", "resources:\n  - odoo.yaml\n");
    files.put("base/odoo.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: odoo }
        spec:
          template:
            spec:
              containers:
                - name: odoo
                  image: %s
        """.formatted(IMAGE));
    return files;
  }
}
