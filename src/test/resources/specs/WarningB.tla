---- MODULE WarningB ----
Foo == 1
====
