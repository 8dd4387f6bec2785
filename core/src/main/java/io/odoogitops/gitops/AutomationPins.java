package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.AutomationSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.manifest.AutomationMarkers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image automation of an environment around a hold: found and, when the environment asks for it, pinned by the
 * rollback that sets the hold (in the same commit), and restored by the release that lifts it.
 */
final class AutomationPins {

  /** YAML files of an environment's directory scanned for markers; more are reported, not scanned. */
  static final int MAX_FILES = 2000;

  /**
   * @param changes files that change besides the manifests' image edit
   * @param notes what was found and done, one line each, for the rollback's output
   */
  record Pinned(Map<String, byte[]> changes, List<String> notes) {}

  private AutomationPins() {}

  /**
   * Finds the automation that could promote past the hold {@code holdId} sets, in the environment's files as the
   * rollback leaves them ({@code edited} over the snapshot's), and pins it where configured. Problems become notes: a
   * rollback is never stopped by its automation.
   */
  static Pinned onRollback(Snapshot snapshot, EnvironmentSpec env, ApplicationSpec app, Map<String, byte[]> edited,
      String holdId) {
    AutomationSpec spec = env.automation();
    boolean pin = spec != null && spec.pinOnRollback();
    Map<String, byte[]> changes = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<AutomationMarkers.Found> found = new ArrayList<>();
    try {
      Map<String, byte[]> files = environmentFiles(snapshot, env);
      files.putAll(edited);
      AutomationMarkers.Result flux = AutomationMarkers.flux(files, pin ? holdId : null);
      changes.putAll(flux.files());
      found.addAll(flux.found());
      Optional<String> appFile = Optional.ofNullable(spec).map(AutomationSpec::applicationFile);
      if (appFile.isPresent()) {
        byte[] bytes = changes.containsKey(appFile.get()) ? changes.get(appFile.get())
            : edited.containsKey(appFile.get()) ? edited.get(appFile.get()) : snapshot.read(appFile.get())
                .orElse(null);
        if (bytes == null) {
          notes.add("automation.argocdApplication names " + appFile.get() + ", which does not exist; fix it in "
              + "odoo-gitops.yaml");
        } else {
          String name = env.cluster() == null || env.cluster().argo() == null ? null
              : env.cluster().argo().application();
          AutomationMarkers.Result updater = AutomationMarkers.imageUpdater(appFile.get(), bytes, name, app.image(),
              pin ? holdId : null);
          changes.putAll(updater.files());
          found.addAll(updater.found());
        }
      }
    } catch (ReleaseException e) {
      notes.add("could not look for image automation (" + e.getMessage() + "); check the environment's files by hand:"
          + " automation may promote past the hold");
    }
    for (AutomationMarkers.Found f : found) {
      String what = f.kind() + " " + f.target() + " at " + f.location();
      if (f.problem() != null) {
        notes.add("WARNING: " + what + " is not pinned: " + f.problem() + "; it can promote past the hold");
      } else if (f.pinned()) {
        notes.add(what + " pinned (" + AutomationMarkers.PIN + " " + holdId + "); 'hold release' restores it");
      } else {
        notes.add("WARNING: " + what + " manages this image and can promote past the hold; set automation:"
            + " { pinOnRollback: true } for environment '" + env.name() + "' (docs/configuration.md) or suspend it");
      }
    }
    return new Pinned(changes, notes);
  }

  /** The files whose pins of {@code holdId} a release restores, with their restored bytes. */
  static Map<String, byte[]> restore(Snapshot snapshot, EnvironmentSpec env, String holdId) {
    Map<String, byte[]> files = environmentFiles(snapshot, env);
    Optional.ofNullable(env.automation()).map(AutomationSpec::applicationFile)
        .ifPresent(path -> snapshot.read(path).ifPresent(bytes -> files.put(path, bytes)));
    return AutomationMarkers.restore(files, holdId);
  }

  /** The YAML files of the environment: under its directory, or its manifests when it is the repository's root. */
  private static Map<String, byte[]> environmentFiles(Snapshot snapshot, EnvironmentSpec env) {
    if (env.directory().isEmpty()) {
      return new LinkedHashMap<>(snapshot.manifests(env).files());
    }
    return new LinkedHashMap<>(snapshot.filesUnder(env.directory(),
        path -> path.endsWith(".yaml") || path.endsWith(".yml"), MAX_FILES));
  }
}
