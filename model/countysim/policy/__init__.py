"""Policy levers: one or more per clause of the notice, with schedules."""
