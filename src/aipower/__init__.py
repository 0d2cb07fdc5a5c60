"""AI Power: the system behind moda's AI-compute grant programme."""
