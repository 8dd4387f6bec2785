package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.DryRunRequest;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a dry-run with the {@code odoo -u} phase refuses before it clones anything, and which image it runs. */
class UpgradePhaseRequestTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "0f".repeat(32));
  static final OdooUpgradePhase NEVER_RUN = target -> {
    throw new AssertionError("not run by these tests");
  };

  @TempDir
  Path dir;

  private final PgEndpoint source = new PgEndpoint("prod.example.com", 5432, "odoo", "release", "pw");

  private DryRunRequest.Builder request() {
    return DryRunRequest.builder().source(source)
        .strategy(new TemplateCloneStrategy(new StagingServer(source.withDatabase("postgres"), Duration.ofSeconds(5))))
        .migrations(MigrationSettings.of(List.of("filesystem:" + dir)))
        .upgradePhase(NEVER_RUN);
  }

  @Test
  void embeddedClonesAreRefusedBecauseNoPodCanReachThem() {
    DryRunRequest.Builder embedded = request().image("registry.example.com/shop/odoo", DIGEST)
        .strategy(new EmbeddedCloneStrategy(dir, new DumpRestore(Optional.empty(), 1, dir)));
    assertThatThrownBy(embedded::build).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("embedded strategy's clones live on this machine only")
        .hasMessageContaining("use the template or dump strategy")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
  }

  @Test
  void aRunnerOnThisMachineTakesEmbeddedClonesAndNeedsNoImageReferenceNorFlyway() throws Exception {
    OdooUpgradePhase local = LocalOdooUpgrade.builder().odooBin(FakeOdoo.install(dir)).build();
    assertThat(local.needsReachableClone()).isFalse();
    assertThat(NEVER_RUN.needsReachableClone()).as("a runner that does not say is assumed remote").isTrue();
    DryRunRequest request = DryRunRequest.builder().source(source).image(null, DIGEST)
        .strategy(new EmbeddedCloneStrategy(dir, new DumpRestore(Optional.empty(), 1, dir)))
        .upgradePhase(local).build();
    assertThat(request.migrations().locations()).isEmpty();
    assertThat(request.pinnedImage()).isNull();
  }

  @Test
  void theCommandLineCarriesNoCredential() throws Exception {
    LocalOdooUpgrade local = LocalOdooUpgrade.builder().odooBin(FakeOdoo.install(dir)).arg("--addons-path=/a")
        .build();
    List<String> command = local.command(new OdooUpgradeTarget(null, source.withDatabase("clone_1"),
        List.of("account", "sale"), List.of("sale_stock")));
    assertThat(command).containsExactly(dir.resolve("odoo").toString(), "--addons-path=/a", "-d", "clone_1", "-u",
        "account,sale", "-i", "sale_stock", "--stop-after-init", "--workers=0", "--no-http");
  }

  @Test
  void theImageReferenceIsRequired() {
    assertThatThrownBy(request().image(null, DIGEST)::build).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("needs the image reference");
  }

  @Test
  void theImageRunsByDigestWhateverTagTheReferenceCarried() {
    assertThat(request().image("registry.example.com:5000/shop/odoo:1.2", DIGEST).build().pinnedImage())
        .isEqualTo("registry.example.com:5000/shop/odoo@" + DIGEST);
    assertThat(request().image("registry.example.com:5000/shop/odoo", DIGEST).build().pinnedImage())
        .isEqualTo("registry.example.com:5000/shop/odoo@" + DIGEST);
    assertThat(request().image("shop/odoo:1.2@sha256:" + "1".repeat(64), DIGEST).build().pinnedImage())
        .isEqualTo("shop/odoo@" + DIGEST);
  }
}
