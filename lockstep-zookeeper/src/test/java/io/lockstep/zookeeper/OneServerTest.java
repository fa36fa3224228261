package io.lockstep.zookeeper;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The fixture of the single-server recipe tests: one curator-test {@code TestingServer} per class,
 * three clients {@link #a}, {@link #b}, {@link #c} per test (each its own session), and a
 * primitive {@link #name} unique to the test.
 */
@Timeout(60)
abstract class OneServerTest {
    static TestingServer server;
    Coordinator a, b, c;
    String name;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void connect(TestInfo test) {
        a = Zk.connect(server.getConnectString());
        b = Zk.connect(server.getConnectString());
        c = Zk.connect(server.getConnectString());
        name = test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        c.close();
    }
}
