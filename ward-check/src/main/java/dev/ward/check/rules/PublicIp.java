package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Service;
import java.util.List;

/** WARD-ECS-021: assignPublicIp ENABLED (terraform: assign_public_ip = true). */
final class PublicIp implements Rule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-021", "ServiceAssignsPublicIp", Severity.HIGH, List.of("ECS.2"),
            "Service assigns public IP addresses",
            "With assignPublicIp ENABLED every task gets an address reachable from the internet, and only its security "
                    + "group stands between the container's ports and every scanner. Tasks in private subnets reach out "
                    + "through a NAT gateway or VPC endpoints instead.",
            "Set assignPublicIp to DISABLED (the default), run the tasks in private subnets behind a load balancer, and "
                    + "give them a NAT gateway or VPC endpoints (ECR, CloudWatch Logs, Secrets Manager) for outbound traffic.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkService(Service s, RuleContext ctx, Sink sink) {
        s.assignPublicIp().filter(f -> f.is("ENABLED") || f.isTrue()).ifPresent(f -> sink.report(INFO, s, null, f.loc(),
                "Service `" + s.label() + "` gives its tasks public IP addresses (" + f.shown() + ")."));
    }
}
