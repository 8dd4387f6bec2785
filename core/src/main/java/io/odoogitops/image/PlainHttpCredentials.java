package io.odoogitops.image;

import com.google.cloud.tools.jib.api.JibContainer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets jib send registry credentials over plain HTTP for exactly one containerize call, and only when the product
 * rule allows it (every registry given credentials is loopback or was explicitly marked insecure).
 *
 * <p>jib strips the {@code Authorization} header from every plain HTTP request unless the JVM system property
 * {@value #PROPERTY} is {@code true}; jib-core reads it ({@code JibSystemProperties.sendCredentialsOverHttp()})
 * when a containerize call builds its HTTP client, and offers no per-build setting. A system property is global to
 * the JVM, so setting it for one build would also let any other build started meanwhile in the same JVM (the
 * Jenkins plugin runs several) send its credentials unencrypted to a registry nobody vouched for. Hence every
 * containerize call that may fall back to plain HTTP runs under one lock, with the property set to exactly what its
 * own registries allow ({@code false} also overrides a {@code -DsendCredentialsOverHttp=true} given to the JVM),
 * and the previous value is restored afterwards. Calls restricted to HTTPS never use plain HTTP, so they neither
 * take the lock nor depend on the property.
 */
final class PlainHttpCredentials {

  static final String PROPERTY = "sendCredentialsOverHttp";

  private static final ReentrantLock LOCK = new ReentrantLock();

  private PlainHttpCredentials() {}

  /** Runs {@code call} with jib's permission to send credentials over plain HTTP set to {@code permitted}. */
  static JibContainer scoped(boolean permitted, JibFailures.JibCall call) throws Exception {
    LOCK.lockInterruptibly();
    String previous = System.getProperty(PROPERTY);
    try {
      System.setProperty(PROPERTY, Boolean.toString(permitted));
      return call.call();
    } finally {
      if (previous == null) {
        System.clearProperty(PROPERTY);
      } else {
        System.setProperty(PROPERTY, previous);
      }
      LOCK.unlock();
    }
  }
}
