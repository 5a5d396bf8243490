# Python's multiprocessing.Pool.map with its automatic chunks, timed inside Python (pool start-up excluded).
import sys, time
from multiprocessing import Pool

def inc(x):
    return x + 1

if __name__ == '__main__':
    n, workers = int(sys.argv[1]), int(sys.argv[2])
    with Pool(workers) as p:
        p.map(inc, range(1000))
        t = time.perf_counter()
        r = p.map(inc, range(n))
        dt = time.perf_counter() - t
    assert r[-1] == n
    print(dt)
