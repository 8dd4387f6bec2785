package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.AsyncObjectLoaderQueue;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ObjectStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The cache clone opened so that no commit is read past a size limit. A commit whose object is larger than the limit
 * (someone pasted a build log into a message) is read as its header only (tree, parents, author, committer) with an
 * empty message: walks, fetch negotiation and ref updates pass it, and nothing reads its trailers, so it can never
 * count as a promotion. Without this, JGit loads such a commit whole and fails above 5 MB with an exception that
 * names no remedy.
 *
 * <p>Every reader the repository hands out (JGit's own included: {@code RevWalk(Repository)}, {@code RefUpdate},
 * fetch negotiation) goes through the bound. The object database itself is untouched, so pack parsing still sees real
 * bytes, and a large commit is still transferred whole (streamed) when it must be.
 */
final class BoundedCache {

  /** Our own promotion commits are a few kilobytes; a message of a mebibyte is no review note. */
  static final long DEFAULT_MAX_COMMIT_BYTES = 1L << 20;
  /** JGit parses commits up to 5 MB in memory; the bound must stay below that to keep every walk working. */
  static final long MAX_COMMIT_BYTES_LIMIT = 4L << 20;
  static final long MIN_COMMIT_BYTES_LIMIT = 4L << 10;

  private BoundedCache() {}

  static void checkLimit(long maxCommitBytes) {
    if (maxCommitBytes < MIN_COMMIT_BYTES_LIMIT || maxCommitBytes > MAX_COMMIT_BYTES_LIMIT) {
      throw ReleaseException.badInput("the commit size limit must be between " + MIN_COMMIT_BYTES_LIMIT + " and "
          + MAX_COMMIT_BYTES_LIMIT + " bytes (JGit reads commits up to 5 MB), not " + maxCommitBytes);
    }
  }

  /** Opens the bare repository at {@code gitDir} with reads of commits bounded to {@code maxCommitBytes}. */
  static Repository open(File gitDir, long maxCommitBytes) throws IOException {
    checkLimit(maxCommitBytes);
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setGitDir(gitDir).setBare();
    builder.setup();
    return new Bounded(builder, maxCommitBytes);
  }

  /** The full size of {@code commit} if it was read as its header only because of its size. */
  static OptionalLong oversize(Repository repository, AnyObjectId commit) {
    if (repository instanceof Bounded b) {
      Long size = b.oversize.get(commit.copy());
      return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }
    return OptionalLong.empty();
  }

  static long limit(Repository repository) {
    return repository instanceof Bounded b ? b.maxCommitBytes : Long.MAX_VALUE;
  }

  private static final class Bounded extends FileRepository {
    final long maxCommitBytes;
    final Map<ObjectId, Long> oversize = new ConcurrentHashMap<>();

    Bounded(FileRepositoryBuilder builder, long maxCommitBytes) throws IOException {
      super(builder);
      this.maxCommitBytes = maxCommitBytes;
    }

    @Override
    public ObjectReader newObjectReader() {
      return new Reader(super.newObjectReader(), this);
    }
  }

  private static final class Reader extends ObjectReader.Filter {
    private final ObjectReader delegate;
    private final Bounded repository;

    Reader(ObjectReader delegate, Bounded repository) {
      this.delegate = delegate;
      this.repository = repository;
    }

    @Override
    protected ObjectReader delegate() {
      return delegate;
    }

    @Override
    public ObjectReader newReader() {
      return new Reader(delegate.newReader(), repository);
    }

    @Override
    public ObjectLoader open(AnyObjectId id) throws IOException {
      return open(id, OBJ_ANY);
    }

    @Override
    public ObjectLoader open(AnyObjectId id, int typeHint) throws IOException {
      if (typeHint != OBJ_ANY && typeHint != Constants.OBJ_COMMIT) {
        return delegate.open(id, typeHint);
      }
      // The size comes from the object's header: cheap, and nothing of a huge object is inflated to learn it.
      long size = delegate.getObjectSize(id, typeHint);
      if (size <= repository.maxCommitBytes) {
        return delegate.open(id, typeHint);
      }
      ObjectLoader real = delegate.open(id, typeHint);
      if (real.getType() != Constants.OBJ_COMMIT) {
        return real;
      }
      repository.oversize.put(id.copy(), size);
      return new HeaderOnly(real, header(id, real));
    }

    private byte[] header(AnyObjectId id, ObjectLoader real) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
      try (InputStream in = real.openStream()) {
        int previous = -1;
        for (long read = 0; read < repository.maxCommitBytes; read++) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          out.write(b);
          if (b == '\n' && previous == '\n') {
            return out.toByteArray();
          }
          previous = b;
        }
      }
      throw ReleaseException.badInput("commit " + id.name() + " in the GitOps repository has a header of more than "
          + repository.maxCommitBytes + " bytes; odoo-gitops cannot read past it. Rewrite that commit or raise"
          + " --max-commit-bytes (at most " + MAX_COMMIT_BYTES_LIMIT + ")");
    }

    @Override
    public <T extends ObjectId> AsyncObjectLoaderQueue<T> open(Iterable<T> objects, boolean reportMissing) {
      Iterator<T> ids = objects.iterator();
      return new AsyncObjectLoaderQueue<>() {
        private T current;

        @Override
        public boolean next() throws IOException {
          if (!ids.hasNext()) {
            current = null;
            return false;
          }
          current = ids.next();
          return true;
        }

        @Override
        public T getCurrent() {
          return current;
        }

        @Override
        public ObjectId getObjectId() {
          return current;
        }

        @Override
        public ObjectLoader open() throws IOException {
          try {
            return Reader.this.open(current, OBJ_ANY);
          } catch (MissingObjectException e) {
            if (reportMissing) {
              throw e;
            }
            return null;
          }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
          return true;
        }

        @Override
        public void release() {
          // Nothing held between objects.
        }
      };
    }
  }

  /**
   * An oversize commit as seen by parsers: its header and an empty message. Streams still give the real object, so
   * whoever copies it (a pack writer) copies it whole.
   */
  private static final class HeaderOnly extends ObjectLoader {
    private final ObjectLoader real;
    private final byte[] header;

    HeaderOnly(ObjectLoader real, byte[] header) {
      this.real = real;
      this.header = header;
    }

    @Override
    public int getType() {
      return Constants.OBJ_COMMIT;
    }

    @Override
    public long getSize() {
      return real.getSize();
    }

    @Override
    public boolean isLarge() {
      return true;
    }

    @Override
    public byte[] getCachedBytes() {
      return header;
    }

    @Override
    public byte[] getCachedBytes(int limit) {
      return header;
    }

    @Override
    public ObjectStream openStream() throws IOException {
      return real.openStream();
    }
  }
}
