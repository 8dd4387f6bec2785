/**
 * Immutable, reproducible Odoo images built with jib (no Docker daemon): {@link io.odoogitops.image.ImageBuild#run}
 * takes a {@link io.odoogitops.image.BuildRequest} and returns a {@link io.odoogitops.image.BuildResult}, pushing to
 * a registry without ever moving a tag, or writing an OCI archive. The base comes from a registry or, for builds
 * without any registry, from a local archive; {@link io.odoogitops.image.BaseArchive#write} makes a minimal one.
 */
package io.odoogitops.image;
