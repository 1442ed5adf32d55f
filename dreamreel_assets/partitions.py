from dagster import DynamicPartitionsDefinition

films = DynamicPartitionsDefinition(name="films")
"""One partition per film; the key is the film id (see `FilmRequest.film_id`)."""
