package io.odoogitops.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's GitOps repository: staging and production in kustomize layout, production gated (2 of 3 release
 * managers, four eyes, a passing dry-run), promoted from staging, frozen around month-end close.
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
          freeze:
            - name: month-end close
              monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 2, calendar: be-business }
          override: { approvals: 1, approvers: [group:release-managers] }
      """;

  private DemoGitOpsRepository() {}

  static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG.formatted(IMAGE));
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
