---------------------------- MODULE Grid ----------------------------
(* A walk on an (N+1) x (N+1) grid from the origin, one step right or   *)
(* up at a time, then a tail of K steps from the top-right corner.       *)
(* For the distributed tests: the tail's states are alone on their       *)
(* levels, and each takes a round trip to a worker, so by the time a     *)
(* worker expands the end of a long tail, every other worker has long    *)
(* returned its block of grid states and the server has stored them all. *)
(* A run that stops at the end of the tail then has the distinct states  *)
(* and trace length of a local run. (With the bad state on the grid, or  *)
(* a tail of 10, another worker was seen to hold unstored states still.) *)
EXTENDS Naturals
CONSTANTS N, K
VARIABLES x, y, z
vars == <<x, y, z>>
Init == x = 0 /\ y = 0 /\ z = 0
Right == x < N /\ x' = x + 1 /\ UNCHANGED <<y, z>>
Up == y < N /\ y' = y + 1 /\ UNCHANGED <<x, z>>
Tail == x = N /\ y = N /\ z < K /\ z' = z + 1 /\ UNCHANGED <<x, y>>
Next == Right \/ Up \/ Tail
Spec == Init /\ [][Next]_vars
InGrid == x \in 0..N /\ y \in 0..N /\ z \in 0..K
NotEnd == z < K
Live == <>(x = N)
=======================================================================
