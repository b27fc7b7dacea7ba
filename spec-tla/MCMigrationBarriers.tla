------------------------ MODULE MCMigrationBarriers ------------------------
(***************************************************************************)
(* Model values and symmetry for MigrationBarriers.                        *)
(***************************************************************************)
EXTENDS MigrationBarriers

CONSTANTS c1, c2, c3,       \* CPUs
          m, s1, s2, u      \* threads: the migrant, two schedulers, another

\* CPUs are interchangeable: Init places threads on CPUs in every way and
\* the spec never names a CPU or CHOOSEs among CPUs.  Schedulers other than
\* the migrant are interchangeable: each issues one request for Migrant.
\* Sound for safety only (configs with SYMMETRY check no PROPERTIES).
CpuSymmetry == Permutations(CPU)
Symmetry == {p @@ q : p \in Permutations(CPU), q \in Permutations(Scheduler \ {Migrant})}
=============================================================================
