package dev.ward.taskdef;

import java.util.Optional;

/**
 * A task volume.
 *
 * @param efs               the EFS configuration object, when the volume is an EFS volume
 * @param transitEncryption its transitEncryption field, when set
 */
public record Volume(String name, Loc loc, Optional<Loc> efs, Optional<Field> transitEncryption) {
}
