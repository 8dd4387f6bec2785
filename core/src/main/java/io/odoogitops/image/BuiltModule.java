package io.odoogitops.image;

/** A module as an image holds it: what a deployment or a dry-run compares against a database. */
public record BuiltModule(String name, String version, String checksum) {}
