------------------------ MODULE MCMigrationBarriers ------------------------
(***************************************************************************)
(* Model values, the schedulers' choices of threads to move, symmetry and  *)
(* view for MigrationBarriers.                                             *)
(***************************************************************************)
EXTENDS MigrationBarriers

CONSTANTS c1, c2, c3,              \* CPUs
          m, m1, m2, s1, s2, u     \* threads: migrants, schedulers, another

\* Every scheduler moves the one migrant m (concurrent requests for one
\* thread).
MoveM == [s \in Scheduler |-> {m}]
\* Self-migration: the only scheduler, m, moves itself.
MoveSelf == [s \in Scheduler |-> {s}]
\* Crossing migrations: s1 moves m1, s2 moves m2.
MoveCrossing == [s \in Scheduler |-> IF s = s1 THEN {m1} ELSE {m2}]
\* s1 moves m; s2 moves the scheduler s1, possibly inside its own call.
MoveScheduler == [s \in Scheduler |-> IF s = s1 THEN {m} ELSE {s1}]
\* Every scheduler may move any thread: itself (ignored), another scheduler
\* or a plain thread.
MoveAny == [s \in Scheduler |-> Thread]

\* CPUs are interchangeable: Init places threads on CPUs in every way and
\* the spec never names a CPU or CHOOSEs among CPUs (its CHOOSEs range over
\* sequence indices).  Schedulers are interchangeable where their choices
\* are (MoveM, MoveAny).  Sound for safety only: configs with SYMMETRY
\* check no liveness.
Symmetry == {p @@ q : p \in Permutations(CPU), q \in Permutations(Scheduler)}

\* `by` is written by every step and read by none (LocalityProp reads it
\* only in the step that writes it), so dropping it merges states with the
\* same futures.
View == <<tcbVars, cpuVars, reqVars, lockVars, settled>>

\* Fixed placements for the two deadlocks (no SYMMETRY with these: CPUs
\* are named).  Crossing: s1 and m1 on c1, s2 and m2 on c2, so that the
\* only migrations are m1 from c1 to c2 and m2 the other way.  Scheduler:
\* s1 and m on c1, s2 on c2; s2 may move s1 while s1 is in its own call.
InitCrossing == Init /\ cpu = [t \in Thread |-> IF t \in {s1, m1} THEN c1 ELSE c2]
InitScheduler == Init /\ cpu = [t \in Thread |-> IF t = s2 THEN c2 ELSE c1]

\* The liveness configs check these placements with every fairness
\* condition (FairSpec's, with the placement's Init).
FairCrossing == InitCrossing /\ [][Next]_vars /\ Fairness
FairScheduler == InitScheduler /\ [][Next]_vars /\ Fairness

\* Threads that never block in an IPC (cfg: ThreadBlock <- NoBlock): the
\* liveness configs leave waiting out, which does not bear on the barriers,
\* to keep their state graphs small; the safety configs keep it.
NoBlock(t, to) == FALSE

\* Witness (MigrationBarriersFiresMigration.cfg, expected violated): some
\* migration completes.  A spec in which no call can start or no request
\* can finish passes every holds config vacuously; this one notices.
DebugMigrationCompletes == \A t \in Thread : settled[t] = Nil
=============================================================================
