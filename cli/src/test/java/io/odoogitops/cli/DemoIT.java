package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoIT {

  @TempDir Path tmp;

  @Test
  void demoRunsThePipelineAndLeavesAnAuditableRepository() throws Exception {
    Path ws = tmp.resolve("ws");
    CliRun run = CliRun.of("demo", "--workspace", ws.toString(), "--keep", "--at", "2026-11-18T09:00:00Z");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("promoted odoo in staging", "decision: REFUSED", "frozen by month-end close",
        "promotions open again", "already landed", "rolled back odoo in production", "Done.");

    try (Git git = Git.open(ws.resolve("git/gitops.git").toFile())) {
      List<RevCommit> log = new java.util.ArrayList<>();
      git.log().call().forEach(log::add);
      RevCommit rollback = log.get(0);
      assertThat(rollback.getShortMessage()).startsWith("rollback odoo in production");
      assertThat(rollback.getFooterLines("Rollback-Of")).containsExactly("demo-release-2-production");
      assertThat(rollback.getFooterLines("Initiated-By")).containsExactly("on-call");
      // 4 promotions + 1 rollback on top of the initial commit; the retried promotion id did not land twice.
      assertThat(log).hasSize(6);
      assertThat(log.stream().filter(c -> c.getFooterLines("Promotion-Id").contains("demo-release-2-production")))
          .singleElement()
          .satisfies(c -> assertThat(c.getFooterLines("Approved-By")).containsExactlyInAnyOrder("dave", "erin"));
    }
    assertThat(Files.exists(ws.resolve("cache"))).isTrue();
  }

  @Test
  void withoutKeepTheWorkspaceIsRemoved() {
    Path ws = tmp.resolve("gone");
    assertThat(CliRun.of("demo", "--workspace", ws.toString()).exitCode()).isZero();
    assertThat(ws).doesNotExist();
  }
}
