-- Versioned grain state. Every write is fenced by the grain's epoch in FailoverGrainDirectory.
CREATE TABLE IF NOT EXISTS FailoverGrainState
(
    ServiceId varchar(150) NOT NULL,
    GrainId varchar(150) NOT NULL,
    StateName varchar(150) NOT NULL,
    Payload text NOT NULL,
    Version bigint NOT NULL,
    ModifiedOn timestamp(3) NOT NULL,

    CONSTRAINT PK_FailoverGrainState PRIMARY KEY (ServiceId, GrainId, StateName)
);
