package dev.ward.relay;

import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two tasks in network namespaces, the relay on their bridge (the mesh's CA and directory), an admin client, and
 * the directory task B serves (hello.txt).
 */
final class TwoTasks implements AutoCloseable {
    final TaskNetwork net;
    final NettyRelay relay;
    final ManagedChannel admin;
    final RelayAdminGrpc.RelayAdminBlockingStub stub;
    final Path www;

    TwoTasks(Path dir) throws Exception {
        www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("hello.txt"), "hello from task B\n");
        net = TaskNetwork.create(2);
        try {
            relay = new NettyRelay(dir.resolve("relay.db"), net.hostAddress, 0,
                    RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null));
        } catch (Exception e) {
            net.close();
            throw e;
        }
        admin = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
        stub = TestRelay.as(RelayAdminGrpc.newBlockingStub(admin), TestRelay.ADMIN_TOKEN);
    }

    @Override
    public void close() {
        admin.shutdownNow();
        relay.close();
        net.close();
    }
}
