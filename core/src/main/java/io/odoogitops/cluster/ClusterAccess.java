package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.odoogitops.ReleaseException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Every API call of this package goes through here, so that every failure reads the same way: what we tried, on
 * which API server, and what to do about it. fabric8's own messages are not passed on as they are: they can be long,
 * carry request bodies, and their wording changes between versions. Public for the restore points, which create
 * CloudNativePG Backups and VolumeSnapshots through the same door.
 */
public final class ClusterAccess {

  /** How many failed polls in a row a long wait survives before it gives up: a blip, not an outage. */
  static final int TOLERATED_CONSECUTIVE_ERRORS = 3;

  private final KubernetesClient client;

  public ClusterAccess(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  public String server() {
    return String.valueOf(client.getMasterUrl());
  }

  /** Runs one API call; {@code action} says what it was for, e.g. "read deployment odoo in namespace prod". */
  public <T> T call(String action, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      if (Thread.currentThread().isInterrupted()) {
        // fabric8 reports an interrupted request as a client error; say what really happened.
        throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "interrupted while trying to " + action);
      }
      throw translate(action, e);
    }
  }

  /**
   * Like {@link #call}, for requests that may safely be repeated (reads, deletes): a transient failure is retried at
   * once, up to {@link #TOLERATED_CONSECUTIVE_ERRORS} attempts. A pooled connection that the server closed surfaces
   * as such a failure, and a fresh connection is all it takes.
   */
  public <T> T repeatable(String action, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call(action, call);
      } catch (ReleaseException e) {
        if (!transientFailure(e) || attempt >= TOLERATED_CONSECUTIVE_ERRORS
            || Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
    }
  }

  void run(String action, Runnable call) {
    call(action, () -> {
      call.run();
      return null;
    });
  }

  /**
   * Fails with BAD_INPUT when the API server does not serve {@code plural} in {@code group/version}: the usual sign
   * that Argo CD or Flux is not installed, or the configuration names the wrong controller.
   */
  public void requireResourceType(String group, String version, String plural, String installHint) {
    String groupVersion = group + "/" + version;
    APIResourceList list = call("discover " + groupVersion, () -> client.getApiResources(groupVersion));
    boolean served = list != null && list.getResources() != null
        && list.getResources().stream().map(APIResource::getName).anyMatch(plural::equals);
    if (!served) {
      throw ReleaseException.badInput("the API server " + server() + " does not serve " + plural + "." + group + "/"
          + version + " (its CRD is missing); " + installHint);
    }
  }

  ReleaseException translate(String action, KubernetesClientException e) {
    int code = e.getCode();
    String where = " (API server " + server() + ")";
    if (code == 401) {
      return ReleaseException.badInput("cannot " + action + where + ": 401 Unauthorized, the credentials were "
          + "rejected; check the token or the kubeconfig user, and whether the token expired");
    }
    if (code == 403) {
      return ReleaseException.badInput("cannot " + action + where + ": 403 Forbidden, the identity is not allowed "
          + "to do this; grant it get/list/watch (create/delete for upgrade jobs, create for restore points) through RBAC");
    }
    if (code == 404) {
      return ReleaseException.badInput("cannot " + action + where + ": not found; check the name and namespace "
          + "in the cluster configuration");
    }
    if (code <= 0) {
      return ReleaseException.infrastructure("cannot " + action + ": the API server " + server()
          + " is unreachable (" + networkCause(e) + "); check the server URL, the network and that the cluster is up",
          null);
    }
    String status = e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage() : "HTTP " + code;
    return ReleaseException.infrastructure("cannot " + action + where + ": " + status, null);
  }

  /** Names the network failure without its message, which may echo the URL with credentials in exotic setups. */
  private static String networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed, check the CA certificate";
      }
      if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
        return "timed out";
      }
    }
    return e.getCause() == null ? "no response" : e.getCause().getClass().getSimpleName();
  }

  /** A failure worth retrying on the next poll: no answer or a server-side error, not a refusal. */
  static boolean transientFailure(ReleaseException e) {
    return e.kind() == ReleaseException.Kind.INFRASTRUCTURE;
  }
}
