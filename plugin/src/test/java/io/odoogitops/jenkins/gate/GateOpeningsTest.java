package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate's git work: on its own threads, its answer handed over once, a hung fetch cut off with a clear message. */
class GateOpeningsTest {

  @Test
  void theValueComesBackFromTheGatesOwnThreads() throws Exception {
    List<Object> answers = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);

    GateOpenings.open(() -> Thread.currentThread().getName(), Duration.ofSeconds(30), (value, failure) -> {
      answers.add(failure == null ? value : failure);
      done.countDown();
    });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(answers).singleElement().asString().startsWith("odooGate opening");
  }

  @Test
  void aHungFetchFailsTheStepOnceAndItsWorkerIsInterrupted() throws Exception {
    List<Object> answers = new CopyOnWriteArrayList<>();
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);

    GateOpenings.open(() -> {
      try {
        Thread.sleep(Long.MAX_VALUE); // a git server that never answers
        return "never";
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }, Duration.ofMillis(300), (value, failure) -> {
      answers.add(failure == null ? value : failure);
      done.countDown();
    });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the worker thread is freed").isTrue();
    Thread.sleep(200); // a second answer, if any, would arrive now
    assertThat(answers).singleElement().isInstanceOf(AbortException.class).asString()
        .contains("infrastructure: the release gate did not open within", "GitOps repository");
  }

  @Test
  void aFailureOfTheWorkIsHandedOverAsItIs() throws Exception {
    List<Object> answers = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    IllegalStateException broken = new IllegalStateException("policy unreadable");

    GateOpenings.open(() -> {
      throw broken;
    }, Duration.ofSeconds(30), (value, failure) -> {
      answers.add(failure);
      done.countDown();
    });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(answers).containsExactly(broken);
  }
}
