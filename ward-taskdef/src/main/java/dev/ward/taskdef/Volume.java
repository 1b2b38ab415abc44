package dev.ward.taskdef;

import java.util.Optional;

/**
 * A task volume.
 *
 * @param name              its name, or {@code #index} without one
 * @param nameField         the {@code name} field
 * @param efs               the EFS configuration object, when the volume is an EFS volume
 * @param transitEncryption its transitEncryption field, when set
 * @param hostSourcePath    {@code host.sourcePath}: a bind mount (without it the volume is the task's own)
 * @param fsxWindows        the FSx for Windows configuration object, when there is one
 * @param configuredAtLaunch {@code configuredAtLaunch} (an EBS volume given when the task starts)
 */
public record Volume(String name, Loc loc, Optional<Loc> efs, Optional<Field> transitEncryption,
                     Optional<Field> nameField, Optional<Field> hostSourcePath, Optional<Loc> fsxWindows,
                     Optional<Field> configuredAtLaunch) {
}
