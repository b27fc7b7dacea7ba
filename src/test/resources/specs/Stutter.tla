---------------------------- MODULE Stutter ----------------------------
(* Without fairness the counter may stop at any point: Done is not guaranteed. *)
EXTENDS Naturals
VARIABLE n
Init == n = 0
Next == n < 2 /\ n' = n + 1
Spec == Init /\ [][Next]_n
Done == <>(n = 2)
=======================================================================
