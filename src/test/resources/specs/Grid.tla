---------------------------- MODULE Grid ----------------------------
(* A walk on an (N+1) x (N+1) grid from the origin, one step right or   *)
(* up at a time. Every state of the top-right corner's row and column  *)
(* is reached only after all states of lower levels, and the corner is  *)
(* the one state of the last level: a run that stops at the corner has  *)
(* the same counts and trace length however its work was scheduled,    *)
(* which is what the distributed tests compare with a local run.        *)
EXTENDS Naturals
CONSTANT N
VARIABLES x, y
Init == x = 0 /\ y = 0
Right == x < N /\ x' = x + 1 /\ UNCHANGED y
Up == y < N /\ y' = y + 1 /\ UNCHANGED x
Next == Right \/ Up
Spec == Init /\ [][Next]_<<x, y>>
InGrid == x \in 0..N /\ y \in 0..N
NotCorner == ~(x = N /\ y = N)
Live == <>(x = N)
=======================================================================
