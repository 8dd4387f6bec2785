package io.odoogitops.image;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * How to talk to one registry: its credentials, and whether plain HTTP is acceptable. Plain HTTP is allowed for
 * loopback registries (a registry on the build machine itself, as in tests and local demos) or when the user said
 * so explicitly; anything else must be HTTPS, because image pushes carry credentials and image content.
 */
public record RegistryAccess(String registry, Optional<RegistryCredentials> credentials, boolean insecureAllowed) {

  /** Access to {@code registry}; plain HTTP allowed when it is loopback or {@code insecureFlag} is set. */
  public static RegistryAccess to(String registry, Optional<RegistryCredentials> credentials, boolean insecureFlag) {
    return new RegistryAccess(registry, credentials, insecureFlag || isLoopback(registry));
  }

  /** Whether the host part of {@code registry} (host, host:port or [v6]:port) is a loopback address. */
  public static boolean isLoopback(String registry) {
    String host = registry;
    if (host.startsWith("[")) {
      host = host.substring(1, Math.max(1, host.indexOf(']')));
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.equals("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name here would let DNS decide whether credentials go out unencrypted.
    if (!host.matches("[0-9.]+|[0-9a-f:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
