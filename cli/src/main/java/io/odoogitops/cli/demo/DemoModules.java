package io.odoogitops.cli.demo;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The demo's module repository: a git checkout with two custom modules, as a team's repository would hold them.
 * Release 1 ships a safe migration and one that rewrites the journal items table; release 2 adds a safe one.
 */
final class DemoModules {

  private final Path root;

  private DemoModules(Path root) {
    this.root = root;
  }

  Path addons() {
    return root.resolve("addons");
  }

  Path migrations() {
    return addons().resolve("acme_billing/db/migration");
  }

  static DemoModules release1(Path root) throws IOException {
    DemoModules modules = new DemoModules(root);
    modules.write("addons/acme_base/__manifest__.py", """
        # -*- coding: utf-8 -*-
        {
            'name': 'ACME Base',
            'version': '17.0.1.0.0',
            'summary': "Shared settings of ACME's Odoo",
            'depends': ['base'],
            'data': [],
            'license': 'LGPL-3',
            'installable': True,
        }
        """);
    modules.write("addons/acme_base/__init__.py", "");
    modules.write("addons/acme_billing/__manifest__.py", billingManifest("17.0.1.1.0"));
    modules.write("addons/acme_billing/__init__.py", "from . import models\n");
    modules.write("addons/acme_billing/models/__init__.py", "");
    modules.write("addons/acme_billing/migrations/17.0.1.1.0/post-migrate.py", """
        def migrate(cr, version):
            # recompute the customer reference of open invoices once
            cr.execute("UPDATE account_move_line SET name = name WHERE parent_state = 'draft'")
        """);
    modules.write("addons/acme_billing/db/migration/V1__invoice_reference.sql", """
        -- Safe: a nullable column without default is a catalog-only change; the index is built concurrently.
        SET lock_timeout = '5s';
        ALTER TABLE account_move_line ADD COLUMN acme_invoice_ref varchar;
        """);
    modules.write("addons/acme_billing/db/migration/V2__widen_amounts.sql", """
        -- Rewrites account_move_line under ACCESS EXCLUSIVE: every posting waits while it runs.
        SET lock_timeout = '5s';
        ALTER TABLE account_move_line ALTER COLUMN quantity TYPE numeric(18, 4);
        """);
    modules.commit("acme modules, release 1");
    return modules;
  }

  /** Release 2: acme_billing 17.0.1.2.0 with one more, safe migration. */
  void release2() throws IOException {
    write("addons/acme_billing/__manifest__.py", billingManifest("17.0.1.2.0"));
    write("addons/acme_billing/db/migration/V3__partner_index.sql", """
        -- Safe: built without blocking writes.
        CREATE INDEX CONCURRENTLY IF NOT EXISTS acme_aml_partner_date ON account_move_line (partner_id, date);
        """);
    commit("acme_billing 17.0.1.2.0");
  }

  private static String billingManifest(String version) {
    return """
        {
            'name': 'ACME Billing',
            'version': '%s',
            'summary': 'Invoice references and wider amounts for month-end reporting',
            'depends': ['account', 'acme_base'],
            'external_dependencies': {'python': []},
            'data': [],
            'license': 'LGPL-3',
        }
        """.formatted(version);
  }

  private void write(String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private void commit(String message) {
    try (Git git = Files.exists(root.resolve(".git")) ? Git.open(root.toFile())
        : Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage(message).setAuthor("Dana Developer", "dana@acme.example")
          .setCommitter("Dana Developer", "dana@acme.example").call();
    } catch (IOException | GitAPIException e) {
      throw ReleaseException.infrastructure("cannot commit the demo module repository: " + e.getMessage(), e);
    }
  }
}
