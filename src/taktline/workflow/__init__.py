"""The digital twin's jobs: what chains the engines for the front ends."""
