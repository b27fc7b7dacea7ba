---------------------------- MODULE BankTransfer ----------------------------
(***************************************************************************)
(* The example spec of l4smp's tooling (not a kernel mechanism): money     *)
(* moves between accounts in two atomic steps, withdraw then deposit.      *)
(* With CheckBalance the withdrawal is guarded; without it an account can  *)
(* be overdrawn. The two configs in model-configs/BankTransfer/ show the   *)
(* pattern every mechanism spec follows: one config with the fix, which    *)
(* holds, and one without, where TLC must find the bug.                    *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS
    Account,        \* the accounts, a set of model values
    Amount,         \* the amount every transfer moves
    CheckBalance    \* TRUE: the fix; FALSE: withdraw without looking

VARIABLES
    balance,        \* balance[a]: money in account a
    inFlight        \* money withdrawn but not yet deposited: a set of [to, amount]

vars == <<balance, inFlight>>

TypeOK == /\ balance \in [Account -> Int]
          /\ \A t \in inFlight : t.to \in Account

Init == /\ balance = [a \in Account |-> Amount]
        /\ inFlight = {}

\* The first step of a transfer: take the money out of `from`.
Withdraw(from, to) ==
    /\ from # to
    /\ inFlight = {}
    /\ CheckBalance => balance[from] >= Amount
    /\ balance' = [balance EXCEPT ![from] = @ - Amount]
    /\ inFlight' = {[to |-> to, amount |-> Amount]}

\* The second step: put it into `to`.
Deposit(t) ==
    /\ t \in inFlight
    /\ balance' = [balance EXCEPT ![t.to] = @ + t.amount]
    /\ inFlight' = inFlight \ {t}

Next == \/ \E from, to \in Account : Withdraw(from, to)
        \/ \E t \in inFlight : Deposit(t)

Spec == Init /\ [][Next]_vars

\* No account ever goes below zero.
NoOverdraft == \A a \in Account : balance[a] >= 0

RECURSIVE SumOver(_, _)
SumOver(f, S) == IF S = {} THEN 0
                 ELSE LET a == CHOOSE x \in S : TRUE IN f[a] + SumOver(f, S \ {a})

\* Money is neither created nor destroyed, whether or not the balance is checked.
MoneyConserved ==
    SumOver(balance, Account) + (IF inFlight = {} THEN 0 ELSE Amount) = Cardinality(Account) * Amount

=============================================================================
