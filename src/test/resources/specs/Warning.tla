---------------------------- MODULE Warning ----------------------------
(* Foo is defined in both modules it extends: SANY warns, TLC runs. *)
EXTENDS WarningA, WarningB
VARIABLE x
Init == x = Foo
Next == x' = x
=======================================================================
