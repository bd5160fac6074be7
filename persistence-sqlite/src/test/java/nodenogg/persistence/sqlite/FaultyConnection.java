package nodenogg.persistence.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import nodenogg.persistence.sqlite.internal.StoreHooks;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * I/O fault injection at the JDBC layer (SQLite's I/O-error tests, moved up to our layer): a proxy
 * connection whose statements throw {@code SQLITE_IOERR}, {@code SQLITE_FULL} or {@code
 * SQLITE_BUSY} on chosen {@code execute*} calls, either before the call reaches SQLite or after it
 * did (the "committed but reported failed" case). Faults are off until {@link #arm()} so opening
 * succeeds.
 */
final class FaultyConnection implements StoreHooks {

  private static final SQLiteErrorCode[] CODES = {
    SQLiteErrorCode.SQLITE_IOERR, SQLiteErrorCode.SQLITE_FULL, SQLiteErrorCode.SQLITE_BUSY
  };

  private final Random random;
  private final double probability;
  private final int failCall;
  private volatile boolean armed;
  private final AtomicInteger calls = new AtomicInteger();
  final AtomicLong injected = new AtomicLong();

  /** Fails each call with the given probability (seeded). */
  static FaultyConnection random(long seed, double probability) {
    return new FaultyConnection(new Random(seed), probability, -1);
  }

  /** Fails exactly the {@code n}-th call (1-based) after arming. */
  static FaultyConnection nth(long seed, int n) {
    return new FaultyConnection(new Random(seed), 0, n);
  }

  private FaultyConnection(Random random, double probability, int failCall) {
    this.random = random;
    this.probability = probability;
    this.failCall = failCall;
  }

  void arm() {
    armed = true;
  }

  void disarm() {
    armed = false;
  }

  @Override
  public Connection wrap(Connection real) {
    return proxy(
        Connection.class,
        real,
        (method, args) -> {
          Object result = method.invoke(real, args);
          if (result instanceof PreparedStatement) {
            return faulty(PreparedStatement.class, (PreparedStatement) result);
          }
          if (result instanceof Statement) {
            return faulty(Statement.class, (Statement) result);
          }
          return result;
        });
  }

  private <T extends Statement> T faulty(Class<T> type, T real) {
    return proxy(
        type,
        real,
        (method, args) -> {
          if (!method.getName().startsWith("execute") || !armed) {
            return method.invoke(real, args);
          }
          boolean fail;
          boolean after;
          synchronized (random) {
            int n = calls.incrementAndGet();
            fail = failCall > 0 ? n == failCall : random.nextDouble() < probability;
            after = random.nextInt(4) == 0;
          }
          if (!fail) {
            return method.invoke(real, args);
          }
          if (after) {
            method.invoke(real, args);
          }
          injected.incrementAndGet();
          SQLiteErrorCode code;
          synchronized (random) {
            code = CODES[random.nextInt(CODES.length)];
          }
          throw new SQLiteException(
              "["
                  + code.name()
                  + "] injected fault ("
                  + (after ? "after" : "before")
                  + " the call)",
              code);
        });
  }

  private interface Call {
    Object apply(java.lang.reflect.Method m, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T real, Call call) {
    InvocationHandler h =
        (p, m, args) -> {
          try {
            return call.apply(m, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (T)
        Proxy.newProxyInstance(FaultyConnection.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  int calls() {
    return calls.get();
  }

  static boolean isInjected(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof SQLException && String.valueOf(t.getMessage()).contains("injected fault")) {
        return true;
      }
    }
    return false;
  }
}
