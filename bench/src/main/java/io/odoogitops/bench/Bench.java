package io.odoogitops.bench;

import java.util.Arrays;

/** Entry point of {@code bench/run}: one benchmark per capability. */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    String what = args.length == 0 ? "gitops" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (what) {
      case "gitops" -> GitOpsBenchmark.main(rest);
      case "burst" -> BurstBenchmark.main(rest);
      case "burst-one" -> BurstBenchmark.one(rest);
      case "fleet" -> FleetBenchmark.main(rest);
      case "fleet-promote" -> FleetPromoteBenchmark.main(rest);
      default -> {
        System.err.println("unknown benchmark '" + what + "'; available: gitops, burst, fleet, fleet-promote");
        System.exit(2);
      }
    }
  }
}
