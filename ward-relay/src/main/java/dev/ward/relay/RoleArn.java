package dev.ward.relay;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM role, as {@code ward mesh bind} takes it ({@code arn:aws:iam::ACCOUNT:role/PATH/NAME}) and as STS names the
 * caller of a presigned request ({@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}). The assumed-role form drops
 * the role's path, so roles are compared by partition, account and name.
 */
record RoleArn(String partition, String account, String name) {
    private static final String NAME = "[\\w+=,.@-]{1,64}";
    private static final Pattern IAM = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)(" + NAME + ")");
    private static final Pattern ASSUMED = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):sts::(\\d{12}):assumed-role/(" + NAME + ")/(.+)");

    /** A role ARN as {@code ward mesh bind --role} takes it; IllegalArgumentException saying the expected shape. */
    static RoleArn parseIam(String arn) {
        Matcher m = IAM.matcher(arn.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("role '" + arn + "': expected an IAM role ARN, "
                    + "arn:aws:iam::ACCOUNT:role/NAME (12-digit account; the role's path, if any, before NAME)");
        }
        return new RoleArn(m.group(1), m.group(2), m.group(4));
    }

    /** The role behind an STS caller ARN, or null when the caller is not an assumed role (a user, the root). */
    static RoleArn fromAssumedRole(String callerArn) {
        Matcher m = ASSUMED.matcher(callerArn.strip());
        return m.matches() ? new RoleArn(m.group(1), m.group(2), m.group(3)) : null;
    }

    /** {@code arn:PARTITION:iam::ACCOUNT:role/NAME} (without the path, which STS does not say). */
    String iam() {
        return "arn:" + partition + ":iam::" + account + ":role/" + name;
    }
}
