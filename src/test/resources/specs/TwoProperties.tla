---------------------------- MODULE TwoProperties ----------------------------
(* A counter that cycles 0 -> 1 -> 2 -> 0 under weak fairness: it keeps coming back
   to 0 (holds), but never reaches 3 (violated). *)
EXTENDS Naturals
VARIABLE n
Init == n = 0
Next == n' = (n + 1) % 3
Spec == Init /\ [][Next]_n /\ WF_n(Next)
InfinitelyOftenZero == []<>(n = 0)
ReachesThree == <>(n = 3)
=======================================================================
