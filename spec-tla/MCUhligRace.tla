----------------------------- MODULE MCUhligRace -----------------------------
(***************************************************************************)
(* Model-checking concerns for UhligRace, kept out of the spec.  Every     *)
(* config in model-configs/UhligRace checks this module ("spec:            *)
(* MCUhligRace").                                                          *)
(***************************************************************************)
EXTENDS UhligRace

(***************************************************************************)
(* Model checking.  Symmetry: no sender and no CPU is singled out (the     *)
(* placement is chosen by Init, the closed receive's order at run time),   *)
(* and deadlock checking is a safety check, so permuting CPUs and senders  *)
(* is sound; the Receiver is not permuted.  View: `by` is written by every *)
(* step and read by none, and no invariant mentions it.                    *)
(***************************************************************************)
Symmetry == {p @@ q : p \in Permutations(Senders), q \in Permutations(CPU)}
View == progress   \* every variable but by
=============================================================================
