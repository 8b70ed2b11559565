-- Who owns each fenced grain's single activation (the silo and its Orleans activation id). A NULL owner means released;
-- Epoch only ever grows.
CREATE TABLE IF NOT EXISTS FailoverGrainDirectory
(
    DeploymentId varchar(150) NOT NULL,
    GrainId varchar(150) NOT NULL,
    Address varchar(45) NULL,
    Port integer NULL,
    Generation integer NULL,
    ActivationId varchar(64) NULL,
    Epoch bigint NOT NULL,
    ModifiedOn text NOT NULL,

    CONSTRAINT PK_FailoverGrainDirectory PRIMARY KEY (DeploymentId, GrainId),
    CONSTRAINT CK_FailoverGrainDirectory_Owner CHECK (
        (Address IS NULL AND Port IS NULL AND Generation IS NULL)
        OR (Address IS NOT NULL AND Port IS NOT NULL AND Generation IS NOT NULL))
);

CREATE INDEX IF NOT EXISTS IX_FailoverGrainDirectory_Owner ON FailoverGrainDirectory (DeploymentId, Address, Port, Generation);
