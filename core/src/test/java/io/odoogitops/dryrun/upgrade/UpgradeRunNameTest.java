package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Run names are valid Kubernetes Job names (DNS labels of at most 63 characters) whatever the tenant is called. */
class UpgradeRunNameTest {

  static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  @Test
  void withoutAQualifierTheNameIsThePrefixAndEightRandomCharacters() {
    assertThat(UpgradeRunName.next()).matches("odoo-upgrade-[a-z0-9]{8}");
    assertThat(UpgradeRunName.next(" ")).matches("odoo-upgrade-[a-z0-9]{8}");
  }

  @Test
  void theTenantIsFoldedIntoALabelAndTheNameStaysWithin63Characters() {
    assertThat(UpgradeRunName.next("acme")).matches("odoo-upgrade-acme-[a-z0-9]{8}");
    // environment names may hold '.' and '_' (odoo-gitops.yaml's pattern), which a DNS label may not
    assertThat(UpgradeRunName.next("eu.acme_prod")).matches("odoo-upgrade-eu-acme-prod-[a-z0-9]{8}");
    String longest = "a" + "b".repeat(40) + "_" + "c".repeat(21);
    assertThat(longest).hasSize(63);
    String name = UpgradeRunName.next(longest);
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL).startsWith("odoo-upgrade-abbb");
    // cut just after a separator: no "--" or trailing "-" before the random part
    assertThat(UpgradeRunName.next("x".repeat(40) + "._y")).matches("odoo-upgrade-x{40}-[a-z0-9]{8}");
  }

  @Test
  void twoRunsOfOneTenantNeverShareAName() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      names.add(UpgradeRunName.next("acme"));
    }
    assertThat(names).hasSize(1000);
  }
}
