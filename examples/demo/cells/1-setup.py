import marimo as mo
import math
import random
import statistics
