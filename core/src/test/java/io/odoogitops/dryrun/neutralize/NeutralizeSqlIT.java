package io.odoogitops.dryrun.neutralize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.PgSessions;
import io.odoogitops.dryrun.clone.StagingClone;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.BuildRequest;
import io.odoogitops.image.BuildResult;
import io.odoogitops.image.ImageBuild;
import io.odoogitops.image.ImageConfig;
import io.odoogitops.image.ImageTarget;
import io.odoogitops.image.LocalRegistry;
import io.odoogitops.testing.Requires;
import io.odoogitops.testing.Prerequisites.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Neutralization as {@code odoo neutralize} does it, on clones of Odoo 17 and Odoo 15 stand-ins on embedded
 * PostgreSQL, with the modules' files read from addons directories and from the layers of an image archive built
 * by odoo-gitops itself from a base archive holding Odoo's addons.
 */
class NeutralizeSqlIT {

  static final String ODOO_ADDONS = "/usr/lib/python3/dist-packages/odoo/addons";

  static OdooSourceDatabase db;

  @TempDir
  Path dir;

  @BeforeAll
  static void sources() throws Exception {
    db = OdooSourceDatabase.shared();
    NeutralizeFixtures.createSources(db);
  }

  private StagingClone clone(String source, String run) {
    return new TemplateCloneStrategy(new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30)))
        .create(NeutralizeFixtures.source(db, source), new CloneName(CloneName.DEFAULT_PREFIX, run, Instant.now()));
  }

  /**
   * Every row (and its xmin) of every table, read in the test's own session: equal before and after means nothing
   * was written. Not {@code db.checksum}: its superuser session could still be ending when the clone is dropped.
   */
  private static String fingerprint(Connection c) throws Exception {
    StringBuilder all = new StringBuilder();
    for (String table : NeutralizerIT.rows(c, "SELECT relname FROM pg_class WHERE relkind = 'r'"
        + " AND relnamespace = 'public'::regnamespace ORDER BY relname")) {
      all.append(NeutralizerIT.rows(c, "SELECT count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)"
          + " || ':' || coalesce(sum(hashtextextended(t.xmin::text, 0)::numeric), 0) FROM " + table + " t"))
          .append('\n');
    }
    return all.toString();
  }

  private ModuleSources addonsSources() throws Exception {
    return ModuleSources.addonsDirs(
        NeutralizeFixtures.addons(dir.resolve("release"), NeutralizeFixtures.RELEASE_MODULES),
        NeutralizeFixtures.addons(dir.resolve("odoo"), NeutralizeFixtures.ODOO_MODULES));
  }

  /** Every dangerous thing of the source is gone, as the fixtures' files (and nothing else) make it. */
  private static void assertNeutralized(Connection c) throws Exception {
    assertThat(NeutralizerIT.rows(c, "SELECT cron_name || '=' || active FROM ir_cron ORDER BY id")).containsExactly(
        "Base: Auto-vacuum internal data=true", "Mail: Email Queue Manager=false",
        "Payment: post-process transactions=false");
    assertThat(NeutralizerIT.rows(c, "SELECT name || '@' || smtp_host || '=' || active FROM ir_mail_server ORDER BY id"))
        .containsExactly("Production SMTP@smtp.example.com=false",
            NeutralizeFixtures.DUMMY_SERVER + "@invalid=true");
    assertThat(NeutralizerIT.rows(c, "SELECT name || '=' || state || ':' || coalesce(stripe_secret_key, '-') || ':'"
        + " || coalesce(stripe_publishable_key, '-') FROM payment_provider ORDER BY id")).containsExactly(
        "Stripe=disabled:-:pk_test_staging", "Wire Transfer=disabled:-:-", "Adyen=disabled:-:-");
    assertThat(NeutralizerIT.rows(c, "SELECT webhook_url FROM ir_act_server WHERE state = 'webhook'"))
        .containsExactly("neutralization - disable webhook");
    assertThat(NeutralizerIT.rows(c, "SELECT account_token FROM iap_account ORDER BY id"))
        .containsExactly("a1b2c3+disabled", "d4e5f6+disabled");
    assertThat(NeutralizerIT.rows(c, "SELECT edi_mode FROM account_edi_proxy_client_user")).containsExactly("test");
    assertThat(NeutralizerIT.rows(c, "SELECT avalara_environment FROM res_company")).containsExactly("sandbox");
    assertThat(NeutralizerIT.rows(c, "SELECT coalesce(google_calendar_rtoken, '-') FROM res_users_settings"))
        .containsExactly("-");
    assertThat(NeutralizerIT.rows(c, "SELECT prod_environment::text FROM delivery_carrier")).containsExactly("false");
    assertThat(NeutralizerIT.rows(c, "SELECT active::text FROM fetchmail_server")).containsExactly("false");
    assertThat(NeutralizerIT.rows(c, "SELECT active::text FROM acme_shop_endpoint")).containsExactly("false");
    assertThat(NeutralizerIT.rows(c, "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'"))
        .containsExactly("true");
  }

  @Test
  void runsEveryInstalledModulesFileFromAddonsDirectoriesInOdooOrderThenTheUserSql() throws Exception {
    String before = db.checksum(NeutralizeFixtures.SOURCE_17);
    // proves it runs after Odoo's files: the dummy server exists only once base's file ran
    Path user = Files.writeString(dir.resolve("10-staging.sql"),
        "UPDATE ir_config_parameter SET value = 'https://staging.example.com' WHERE key = 'web.base.url';\n"
            + "UPDATE ir_mail_server SET smtp_port = 2525 WHERE smtp_host = 'invalid';\n");
    try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqldirs");
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      NeutralizationResult result = Neutralizer.release(addonsSources(), List.of(user)).neutralize(c);

      assertNeutralized(c);
      assertThat(NeutralizerIT.rows(c, "SELECT smtp_port::text FROM ir_mail_server WHERE smtp_host = 'invalid'"))
          .containsExactly("2525");
      assertThat(result.method()).isEqualTo(NeutralizationResult.ODOO_FILES);
      assertThat(result.reason()).contains("Odoo 17 database");
      List<String> withFiles = NeutralizeFixtures.LOAD_ORDER.stream()
          .filter(m -> NeutralizeFixtures.ODOO_MODULES.getOrDefault(m,
              NeutralizeFixtures.RELEASE_MODULES.get(m)) != null).toList();
      assertThat(result.files()).extracting(NeutralizationResult.ModuleFile::module)
          .containsExactlyElementsOf(withFiles);
      assertThat(result.withoutFile()).containsExactly("acme_reports", "old_connector", "web");
      NeutralizationResult.ModuleFile base = result.files().get(0);
      assertThat(base.module()).isEqualTo("base");
      assertThat(base.rowsPerStatement()).containsExactly(1L, 1L, 2L, 1L, 1L);
      assertThat(base.origin()).isEqualTo("addons directory " + dir.resolve("odoo"));
      assertThat(result.files()).filteredOn(f -> f.module().equals("aaa_stripe_tweaks")).singleElement()
          .satisfies(f -> {
            assertThat(f.rows()).as("ran after payment_stripe's file").isEqualTo(1);
            assertThat(f.origin()).isEqualTo("addons directory " + dir.resolve("release"));
          });
      assertThat(result.files()).filteredOn(f -> f.module().equals("iap")).singleElement()
          .extracting(NeutralizationResult.ModuleFile::rows).isEqualTo(2L);
      assertThat(result.applied()).as("the built-in steps did not run").isEmpty();
      assertThat(result.userScripts()).containsExactly("10-staging.sql");
      assertThat(result.checks()).allMatch(NeutralizationCheck::passed).extracting(NeutralizationCheck::id)
          .contains("crons-off", "mail-servers-off", "fetchmail-off", "payment-providers-test-mode",
              "payment-live-keys", "server-action-webhooks-off", "iap-tokens-disabled", "edi-proxy-not-prod",
              "carriers-test-mode", "tax-service-sandbox", "calendar-sync-off", "neutralized-flag");
      assertThat(result.checks()).filteredOn(check -> check.id().equals("payment-live-keys")).singleElement()
          .satisfies(check -> assertThat(check.checked()).contains("stripe_secret_key ~ '^(sk|rk)_live_'"));
    }
    assertThat(db.checksum(NeutralizeFixtures.SOURCE_17)).as("the source is untouched").isEqualTo(before);
  }

  /** A stand-in for the official image: Odoo's addons bundled in the odoo package, an odoo.conf, ODOO_RC. */
  private BaseArchive odooBase() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    NeutralizeFixtures.addons(rootfs.resolve(ODOO_ADDONS.substring(1)), NeutralizeFixtures.ODOO_MODULES);
    Files.writeString(rootfs.resolve(ODOO_ADDONS.substring(1)).resolveSibling("release.py"),
        "version_info = (17, 0)\n");
    Files.createDirectories(rootfs.resolve("etc/odoo"));
    Files.writeString(rootfs.resolve("etc/odoo/odoo.conf"), "[options]\naddons_path = /mnt/extra-addons\n");
    Files.createDirectories(rootfs.resolve("mnt/extra-addons"));
    return BaseArchive.write(rootfs, "odoo-gitops/test-odoo:17.0", ImageConfig.builder()
        .environment("ODOO_RC", "/etc/odoo/odoo.conf").build(), dir.resolve("base.tar"));
  }

  private BuildRequest.Builder release(BaseArchive base, String image) throws Exception {
    return BuildRequest.builder()
        .addonsDir(NeutralizeFixtures.addons(dir.resolve("release"), NeutralizeFixtures.RELEASE_MODULES))
        .baseImage("docker-archive:" + base.file())
        .image(image)
        .revision("3ca6218e0d1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b")
        .cacheDirectory(dir.resolve("cache"));
  }

  @Test
  void readsOdooAddonsFromTheBaseImageLayersAndTheReleaseFromItsModuleLayers() throws Exception {
    BaseArchive base = odooBase();
    Path archive = dir.resolve("release.tar");
    BuildResult built = ImageBuild.run(release(base, "registry.example.com/acme/odoo")
        .target(new ImageTarget.OciArchive(archive)).build());

    ModuleSources.of(List.of(), List.of(archive)).requireImage(built.digest());
    assertThatThrownBy(() -> ModuleSources.of(List.of(), List.of(archive)).requireImage(new ImageDigest("sha256:" + "0".repeat(64))))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("holds image " + built.digest() + ", not the image sha256:000");
    ModuleSources.of(List.of(), List.of(base.file())).requireImage(new ImageDigest("sha256:" + "0".repeat(64)));

    try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqlimage");
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      NeutralizationResult result = Neutralizer.release(ModuleSources.of(List.of(), List.of(archive)), List.of())
          .neutralize(c);

      assertNeutralized(c);
      String image = "image " + built.digest().value().substring(0, 19);
      assertThat(result.files()).extracting(NeutralizationResult.ModuleFile::module)
          .startsWith("base").endsWith("aaa_stripe_tweaks", "acme_shop");
      assertThat(result.files()).filteredOn(f -> f.module().equals("payment_stripe")).singleElement()
          .extracting(NeutralizationResult.ModuleFile::origin).isEqualTo(image + " " + ODOO_ADDONS);
      assertThat(result.files()).filteredOn(f -> f.module().equals("acme_shop")).singleElement()
          .extracting(NeutralizationResult.ModuleFile::origin).isEqualTo(image + " /opt/odoo/addons");
      assertThat(result.withoutFile()).containsExactly("acme_reports", "old_connector", "web");
    }
  }

  @Test
  @Requires({Tool.DOCKER_REGISTRY, Tool.SKOPEO})
  void readsTheImageFromItsRegistryWithoutPullingOrRunningIt() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
      String repository = registry.address() + "/acme/odoo";
      BuildResult built = ImageBuild.run(release(odooBase(), repository).build());
      ModuleSources sources = ModuleSources.of(List.of(), List.of())
          .withRegistryImage(repository + "@" + built.digest(), Optional.empty(), false);
      sources.requireImage(built.digest());

      try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqlregistry");
           Connection c = PgSessions.readWrite(clone.endpoint())) {
        NeutralizationResult result = Neutralizer.release(sources, List.of()).neutralize(c);

        assertNeutralized(c);
        String image = "image " + built.digest().value().substring(0, 19);
        assertThat(result.files()).filteredOn(f -> f.module().equals("base")).singleElement()
            .extracting(NeutralizationResult.ModuleFile::origin).isEqualTo(image + " " + ODOO_ADDONS);
        assertThat(result.files()).filteredOn(f -> f.module().equals("acme_shop")).singleElement()
            .extracting(NeutralizationResult.ModuleFile::origin).isEqualTo(image + " /opt/odoo/addons");
      }
      assertThatThrownBy(() -> ModuleSources.of(List.of(), List.of())
          .withRegistryImage(repository + ":17.0-3ca6218", Optional.empty(), false))
          .hasMessageContaining("is not pinned by digest");
    }
  }

  @Test
  void refusesBeforeTouchingTheCloneWhenAnInstalledModulesCodeIsInNoSource() throws Exception {
    Map<String, String> odooWithoutStripe = new java.util.LinkedHashMap<>(NeutralizeFixtures.ODOO_MODULES);
    odooWithoutStripe.remove("payment_stripe");
    ModuleSources sources = ModuleSources.addonsDirs(
        NeutralizeFixtures.addons(dir.resolve("odoo"), odooWithoutStripe));
    try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqlmissing");
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      String before = fingerprint(c);
      assertThatThrownBy(() -> Neutralizer.release(sources, List.of()).neutralize(c))
          .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
          .hasMessageContaining("the code of 5 installed module(s) is in none of the module sources")
          .hasMessageContaining("payment_stripe, aaa_stripe_tweaks, acme_shop")
          .hasMessageContaining("acme_reports, old_connector")
          .hasMessageContaining("addons directory " + dir.resolve("odoo"))
          .hasMessageContaining("nothing ran on the clone");
      assertThat(fingerprint(c)).as("nothing was written to the clone").isEqualTo(before);

      assertThatThrownBy(() -> Neutralizer.release(ModuleSources.of(List.of(), List.of()), List.of()).neutralize(c))
          .as("empty sources are strict").hasMessageContaining("the code of 14 installed module(s)")
          .hasMessageContaining("Sources searched: none");
    }
  }

  @Test
  void theAssertionsCatchWhatAUserScriptOrAnIncompleteFileLeavesLive() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("UPDATE payment_provider SET state = 'enabled' WHERE code = 'custom';",
        "payment-providers-test-mode: 1 row(s): payment providers enabled for real");
    cases.put("UPDATE payment_provider SET state = 'test', stripe_secret_key = 'sk_live_51AbCdEf'"
        + " WHERE code = 'stripe';",
        "payment-live-keys: 1 row(s): payment providers not disabled that still hold production keys");
    cases.put("UPDATE ir_act_server SET webhook_url = 'https://hub.example.com/odoo' WHERE state = 'webhook';",
        "server-action-webhooks-off: 1 row(s): server actions or automations posting to an outside URL");
    cases.put("UPDATE ir_cron SET active = true WHERE id = 3;",
        "crons-off: 1 row(s): active scheduled actions other than the autovacuum");
    cases.put("UPDATE iap_account SET account_token = 'a1b2c3' WHERE id = 1;",
        "iap-tokens-disabled: 1 row(s): IAP accounts with a usable token");
    cases.put("UPDATE res_company SET avalara_environment = 'production';",
        "tax-service-sandbox: 1 row(s)");
    int i = 0;
    for (Map.Entry<String, String> scenario : cases.entrySet()) {
      Path user = Files.writeString(dir.resolve("re-enable-" + i + ".sql"), scenario.getKey());
      try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqlassert" + i++);
           Connection c = PgSessions.readWrite(clone.endpoint())) {
        assertThatThrownBy(() -> Neutralizer.release(addonsSources(), List.of(user)).neutralize(c))
            .as(scenario.getKey())
            .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
            .hasMessageContaining("the clone is not neutralized, so no migration ran on it")
            .hasMessageContaining(scenario.getValue());
      }
    }
  }

  @Test
  void aFailingFileStopsTheRunAndLeavesTheCloneAsItWas() throws Exception {
    Map<String, String> broken = new java.util.LinkedHashMap<>(NeutralizeFixtures.ODOO_MODULES);
    broken.put("delivery", "UPDATE delivery_carrier SET easypost_production_api_key = NULL;\n");
    ModuleSources sources = ModuleSources.addonsDirs(
        NeutralizeFixtures.addons(dir.resolve("release"), NeutralizeFixtures.RELEASE_MODULES),
        NeutralizeFixtures.addons(dir.resolve("odoo"), broken));
    try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqlbroken");
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      String before = fingerprint(c);
      assertThatThrownBy(() -> Neutralizer.release(sources, List.of()).neutralize(c))
          .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
          .hasMessageContaining("in delivery/data/neutralize.sql (from addons directory " + dir.resolve("odoo"))
          .hasMessageContaining("easypost_production_api_key")
          .hasMessageContaining("the clone was left as it was");
      assertThat(fingerprint(c)).as("one transaction, rolled back").isEqualTo(before);
    }
  }

  @Test
  void aFileThatEndsTheTransactionIsRefused() throws Exception {
    // a ROLLBACK undoes every file before it (and a replay of what the assertions check would hide that), a COMMIT
    // makes the rest no longer one transaction: both are refused, naming the file
    for (String end : List.of("ROLLBACK;\n", "UPDATE delivery_carrier SET prod_environment = false;\nCOMMIT;\n")) {
      Map<String, String> hostile = new java.util.LinkedHashMap<>(NeutralizeFixtures.ODOO_MODULES);
      hostile.put("delivery", end);
      Path odoo = dir.resolve("odoo-" + end.length());
      ModuleSources sources = ModuleSources.addonsDirs(
          NeutralizeFixtures.addons(dir.resolve("release-" + end.length()), NeutralizeFixtures.RELEASE_MODULES),
          NeutralizeFixtures.addons(odoo, hostile));
      try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqltx" + end.length());
           Connection c = PgSessions.readWrite(clone.endpoint())) {
        assertThatThrownBy(() -> Neutralizer.release(sources, List.of()).neutralize(c))
            .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
            .hasMessageContaining("delivery/data/neutralize.sql (from addons directory " + odoo)
            .hasMessageContaining("ends the transaction");
      }
    }
  }

  @Test
  void odoo15AndOlderKeepTheBuiltInStepsWhateverTheSources() throws Exception {
    try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_15, "nsql15");
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      NeutralizationResult result = Neutralizer.release(ModuleSources.of(List.of(), List.of()), List.of())
          .neutralize(c);

      assertThat(result.method()).isEqualTo(NeutralizationResult.BUILT_IN);
      assertThat(result.reason()).contains("Odoo 15 database");
      assertThat(result.files()).isEmpty();
      assertThat(result.applied()).extracting(NeutralizationResult.AppliedStep::id)
          .contains("mail-servers-off", "dummy-mail-server", "crons-off", "payment-acquirers-test-mode",
              "carriers-test-mode", "neutralized-flag");
      assertThat(NeutralizerIT.rows(c, "SELECT state FROM payment_acquirer")).containsExactly("test");
      assertThat(result.checks()).allMatch(NeutralizationCheck::passed);
    }
  }

  @Test
  void withoutSourcesTheBuiltInStepsRunAndTheResultSaysWhy() throws Exception {
    try (StagingClone clone = clone(NeutralizeFixtures.SOURCE_17, "nsqlnone");
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      // the built-in steps set the Stripe provider to 'test' and keep its key: the assertion stops the run
      assertThatThrownBy(() -> Neutralizer.release(null, List.of()).neutralize(c))
          .hasMessageContaining("payment-live-keys: 1 row(s)");
    }
  }
}
