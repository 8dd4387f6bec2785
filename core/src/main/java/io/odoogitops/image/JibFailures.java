package io.odoogitops.image;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import io.odoogitops.ReleaseException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Optional;

/** Turns jib's many failure types into one {@link ReleaseException} saying what failed and what to check. */
final class JibFailures {

  /** A jib call. */
  @FunctionalInterface
  interface JibCall {
    JibContainer call() throws Exception;
  }

  private JibFailures() {}

  static JibContainer run(JibCall call, String what) {
    try {
      return call.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while trying to " + what, e);
    } catch (ReleaseException e) {
      throw e;
    } catch (Exception e) {
      throw translate(e, what);
    }
  }

  static ReleaseException translate(Exception e, String what) {
    if (find(e, RegistryUnauthorizedException.class).isPresent()
        || find(e, RegistryAuthenticationFailedException.class).isPresent()) {
      return ReleaseException.infrastructure("the registry refused access while trying to " + what
          + "; check the registry credentials (environment variable or file) and the user's permissions", e);
    }
    if (find(e, InsecureRegistryException.class).isPresent()) {
      return ReleaseException.badInput("cannot " + what + ": the registry does not offer a trusted HTTPS "
          + "connection; plain HTTP is only used for loopback registries or with --insecure-registry");
    }
    Optional<Throwable> network = find(e, ConnectException.class).map(Throwable.class::cast)
        .or(() -> find(e, UnknownHostException.class))
        .or(() -> find(e, NoRouteToHostException.class));
    if (network.isPresent()) {
      return ReleaseException.infrastructure("cannot " + what + ": the registry is unreachable ("
          + network.get().getClass().getSimpleName() + ": " + network.get().getMessage()
          + "); check that it is running and reachable", e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return ReleaseException.infrastructure("cannot " + what + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage())
        + (root == e ? "" : " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"), e);
  }

  static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
