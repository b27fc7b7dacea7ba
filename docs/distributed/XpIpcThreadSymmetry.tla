------------------------- MODULE XpIpcThreadSymmetry -------------------------
(***************************************************************************)
(* The configuration docs/distributed.md measures: MCXpIpc with symmetry   *)
(* over the threads alone (not the CPUs), which leaves 1,553,840 distinct  *)
(* states instead of 282,860 (docs/specs.md). Run it with --lib spec-tla.  *)
(***************************************************************************)
EXTENDS MCXpIpc

ThreadSymmetry == Permutations(Thread)
=============================================================================
