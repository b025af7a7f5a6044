"""EnvDesk's performance suite (`make bench`): each figure with its yardstick, medians of several runs."""
